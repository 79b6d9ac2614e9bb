import { render } from '@testing-library/react';
import { expect, vi } from 'vitest';
import type { ReactNode } from 'react';
import { GraphProvider } from '../src/api/graph-context.tsx';
import type { GraphQLFetch } from '../src/api/graphql-client.ts';
import type { Session } from '../src/api/session.ts';

export const OPERATOR: Session = { token: 'operator-token', username: 'operator', roles: ['OPERATOR'] };

/** A stand-in for the graph: answers each operation by its name (ConsoleTrace, ...). */
export function fakeGraph(answers: Record<string, (variables: Record<string, unknown>) => unknown>) {
  const calls: { operation: string; variables: Record<string, unknown> }[] = [];
  const request = vi.fn(async (query: string, variables: Record<string, unknown> = {}) => {
    const operation = /(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? '';
    calls.push({ operation, variables });
    const answer = answers[operation];
    if (!answer) throw new Error(`no fixture for ${operation}`);
    return answer(variables);
  }) as unknown as GraphQLFetch;
  return { request, calls };
}

export function renderWithGraph(ui: ReactNode, request: GraphQLFetch, session: Session = OPERATOR) {
  return render(
    <GraphProvider request={request} session={session}>
      {ui}
    </GraphProvider>,
  );
}

/**
 * The live feed (GET /telemetry/live) as a stream the test writes to. Every fetch of the
 * feed gets the same stream; other fetches fail.
 */
export function fakeLiveFeed() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
    if (String(url) !== '/telemetry/live') throw new Error(`unexpected fetch ${url}`);
    expect((init?.headers as Record<string, string>).authorization).toMatch(/^Bearer /);
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  });
  vi.stubGlobal('fetch', fetchMock);
  return {
    fetchMock,
    send(event: string, data: unknown) {
      controller.enqueue(new TextEncoder().encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
    },
  };
}
