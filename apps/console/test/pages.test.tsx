import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useRoute } from '../src/router.ts';
import { TracePage } from '../src/pages/trace-page.tsx';
import { EventsPage } from '../src/pages/events-page.tsx';
import { OverviewPage } from '../src/pages/overview-page.tsx';
import { TracesPage } from '../src/pages/traces-page.tsx';
import { ServiceMapPage } from '../src/pages/service-map-page.tsx';
import { AgencyTrafficPage } from '../src/pages/agency-traffic-page.tsx';
import { LoginPage } from '../src/pages/login-page.tsx';
import { GraphQLRequestError } from '../src/api/graphql-client.ts';
import { appointmentTrace, deadLetter, eventsState, instances, platformState, series, span } from './fixtures.ts';
import { fakeGraph, fakeLiveFeed, renderWithGraph } from './harness.tsx';

beforeEach(() => {
  window.location.hash = '';
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/** The trace page as the app shows it: the selected span comes from the address. */
function RoutedTrace() {
  const route = useRoute();
  return route.page === 'trace' ? <TracePage traceId={route.traceId} selectedSpanId={route.spanId} /> : null;
}

describe('the trace page', () => {
  it('shows every span in one waterfall and, on a click, its attributes, events and error', async () => {
    const trace = appointmentTrace();
    const graph = fakeGraph({ ConsoleTrace: () => ({ trace }) });
    window.location.hash = `#/traces/${trace.id}`;
    const { container } = renderWithGraph(<RoutedTrace />, graph.request);
    await screen.findByText(/AppointEmployee/, { selector: 'h1' });
    expect(graph.calls[0]).toEqual({ operation: 'ConsoleTrace', variables: { id: trace.id } });
    const rows = [...container.querySelectorAll<HTMLElement>('.waterfall-row')];
    expect(rows.map((r) => r.dataset.service)).toEqual([
      'gateway',
      'gateway',
      'gateway',
      'personnel',
      'personnel',
      'personnel',
      'personnel',
      'identity',
      'registry',
    ]);
    expect(rows.map((r) => r.dataset.category)).toEqual(['http', 'graphql', 'nats', 'graphql', 'db', 'db', 'event', 'event', 'other']);

    fireEvent.click(rows[7]!);
    const details = await screen.findByRole('complementary', { name: 'Span details' });
    expect(window.location.hash).toBe(`#/traces/${trace.id}?span=d1`);
    expect(within(details).getByText('identity: consume employee.appointed')).toBeTruthy();
    expect(within(details).getByText('first try failed')).toBeTruthy();
    expect(within(details).getAllByText(/unit not found/).length).toBeGreaterThan(0);

    // Collapsing personnel's execution hides its Prisma queries and the consumer below it.
    fireEvent.click(within(rows[3]!).getByRole('button', { name: 'Collapse' }));
    expect(container.querySelectorAll('.waterfall-row')).toHaveLength(5);
  });

  it("folds Prisma's own steps under their operation until asked", async () => {
    const trace = appointmentTrace();
    trace.spans.push(
      span('b2a', 'b2', 'personnel', 'prisma:client:serialize', 7, 0.2),
      span('b2b', 'b2', 'personnel', 'prisma:engine:db_query', 8, 3, { attributes: [{ key: 'db.system', value: 'postgresql' }] }),
    );
    const graph = fakeGraph({ ConsoleTrace: () => ({ trace }) });
    const { container } = renderWithGraph(<TracePage traceId={trace.id} selectedSpanId={null} />, graph.request);
    await screen.findByText(/AppointEmployee/, { selector: 'h1' });
    const ids = () => [...container.querySelectorAll<HTMLElement>('.waterfall-row')].map((r) => r.dataset.spanId);
    expect(ids()).not.toContain('b2a');
    expect(ids()).toContain('b2');
    fireEvent.click(screen.getByRole('button', { name: 'expand all' }));
    expect(ids()).toEqual(expect.arrayContaining(['b2a', 'b2b']));
  });

  it('says plainly when the trace is not kept, and shows FORBIDDEN for a caller without the role', async () => {
    const missing = fakeGraph({ ConsoleTrace: () => ({ trace: null }) });
    renderWithGraph(<TracePage traceId="0af7651916cd43dd8448eb211c80319c" selectedSpanId={null} />, missing.request);
    await screen.findByText('Trace not found');
    cleanup();
    const refused = fakeGraph({
      ConsoleTrace: () => {
        throw new GraphQLRequestError('Forbidden', 'FORBIDDEN', undefined);
      },
    });
    renderWithGraph(<TracePage traceId="0af7651916cd43dd8448eb211c80319c" selectedSpanId={null} />, refused.request);
    expect((await screen.findByRole('alert')).textContent).toContain('needs the role OPERATOR');
  });
});

describe('the traces page', () => {
  it('searches with the filter from the address and draws a duration bar per trace', async () => {
    const t = appointmentTrace();
    const summary = { ...t, spanCount: 9, errorCount: 1 };
    const quick = { ...summary, id: 'ffff', durationMs: 7.9, status: 'OK' as const, errorCount: 0 };
    const graph = fakeGraph({
      ConsoleTraces: () => ({ traces: { totalCount: 2, pageInfo: { hasNextPage: false, endCursor: null }, edges: [{ node: summary }, { node: quick }] } }),
    });
    const { container } = renderWithGraph(<TracesPage query={new URLSearchParams('service=personnel&status=ERROR')} />, graph.request);
    await screen.findByText('2 kept traces match');
    expect(graph.calls[0]!.variables).toMatchObject({ filter: { service: 'personnel', status: 'ERROR' }, first: 50 });
    const bars = [...container.querySelectorAll<HTMLElement>('.duration-bar')];
    expect(bars.map((b) => b.style.width)).toEqual(['100%', '10%']);
    expect(container.querySelector(`a[href="#/traces/${t.id}"]`)).toBeTruthy();
  });
});

describe('the events page', () => {
  it('replays a dead letter with the replay mutation and shows the list again without it', async () => {
    fakeLiveFeed();
    let letters = [deadLetter(7)];
    const graph = fakeGraph({
      ConsoleEvents: () => ({ eventsState: eventsState(), deadLetters: letters }),
      ConsoleReplayDeadLetter: ({ seq }) => {
        letters = [];
        return { replayDeadLetter: { seq, consumer: 'identity-employee-events', subject: 'x' } };
      },
    });
    const { container } = renderWithGraph(<EventsPage />, graph.request);
    const row = await waitFor(() => {
      const found = container.querySelector<HTMLElement>('[data-dead-letter="7"]');
      expect(found).toBeTruthy();
      return found!;
    });
    expect(row.textContent).toContain('unit DEP.X not found');
    fireEvent.click(within(row).getByText('Show'));
    expect(container.querySelector('.payload')!.textContent).toContain('"nip": "199001012020011001"');
    fireEvent.click(within(row).getByText('Replay'));
    await screen.findByText(/Dead letter #7 replayed/);
    expect(graph.calls.find((c) => c.operation === 'ConsoleReplayDeadLetter')!.variables).toEqual({ seq: 7 });
    await screen.findByText(/No dead letters/);
    expect(container.querySelector('[data-outbox="documents"]')!.textContent).toContain('no answer');
  });

  it('updates consumer counts live from the feed, without another query', async () => {
    const feed = fakeLiveFeed();
    const graph = fakeGraph({ ConsoleEvents: () => ({ eventsState: eventsState(), deadLetters: [deadLetter(7)] }) });
    const { container } = renderWithGraph(<EventsPage />, graph.request);
    await waitFor(() => expect(container.querySelector('[data-consumer="identity-employee-events"]')).toBeTruthy());
    await waitFor(() => expect(container.querySelector('[data-live-status="live"]')).toBeTruthy());
    await act(async () =>
      feed.send('snapshot', {
        at: '2026-12-03T14:00:05.000Z',
        instances: [],
        lastMinute: { count: 0, errors: 0, p50Ms: null, p95Ms: null, p99Ms: null },
        consumers: [
          { stream: 'SIMPUL_EVENTS', name: 'identity-employee-events', pending: 42, ackPending: 3, redelivered: 2, lastActivity: '2026-12-03T14:00:04.000Z' },
        ],
        outboxes: [{ service: 'personnel', pending: 5, oldestPendingAt: '2026-12-03T14:00:00.000Z' }],
        deadLetters: 1,
      }),
    );
    await waitFor(() => expect(container.querySelector('[data-consumer="identity-employee-events"]')!.textContent).toContain('42'));
    expect(container.querySelector('[data-outbox="personnel"]')!.textContent).toContain('5');
    expect(graph.calls.filter((c) => c.operation === 'ConsoleEvents')).toHaveLength(1);
  });
});

describe('the overview page', () => {
  it('lists instances, NATS and the databases, and follows instance health live', async () => {
    const feed = fakeLiveFeed();
    const graph = fakeGraph({
      ConsoleOverview: () => ({ instances: instances(), platformState: platformState(), services: [series('gateway', [3, 2, 1])], operations: [] }),
    });
    const { container } = renderWithGraph(<OverviewPage />, graph.request);
    await waitFor(() => expect(container.querySelectorAll('[data-instance]')).toHaveLength(3));
    expect(screen.getByRole('table', { name: 'Databases' }).textContent).toMatch(/simpul_personnel.*unreachable/);
    expect(screen.getByText('connected')).toBeTruthy();
    expect(screen.getByRole('table', { name: 'Services' }).textContent).toContain('gateway');
    await waitFor(() => expect(container.querySelector('[data-live-status="live"]')).toBeTruthy());
    const [gateway, personnel] = instances();
    await act(async () =>
      feed.send('snapshot', {
        at: new Date().toISOString(),
        instances: [
          { ...gateway, healthy: true, ready: true },
          { ...personnel, healthy: false, ready: false },
        ],
        lastMinute: { count: 12, errors: 1, p50Ms: 4, p95Ms: 30, p99Ms: 60 },
        consumers: [],
        outboxes: [],
        deadLetters: 2,
      }),
    );
    await waitFor(() => expect(container.querySelector('[data-instance="personnel"]')!.textContent).toContain('not answering'));
    expect(container.querySelectorAll('[data-instance]')).toHaveLength(2);
    expect(screen.getByRole('region', { name: 'Last minute' }).textContent).toContain('12');
    await act(async () =>
      feed.send('exchange', {
        id: 'x1',
        at: new Date().toISOString(),
        traceId: 'abc',
        operationName: 'AppointEmployee',
        operationType: 'mutation',
        agencyCode: 'BKN',
        clientKind: 'USER',
        services: ['personnel'],
        natsRequests: 1,
        durationMs: 12,
        outcome: 'OK',
        errorCodes: [],
      }),
    );
    expect((await screen.findByRole('link', { name: 'AppointEmployee' })).getAttribute('href')).toBe('#/traces/abc');
  });
});

describe('the service map and agency traffic', () => {
  it('draws services and agency systems as nodes and calls and events as edges', async () => {
    const graph = fakeGraph({
      ConsoleServiceMap: () => ({
        serviceMap: {
          nodes: [
            { id: 'gateway', kind: 'GATEWAY', label: 'gateway' },
            { id: 'personnel', kind: 'SERVICE', label: 'personnel' },
            { id: 'identity', kind: 'SERVICE', label: 'identity' },
            { id: 'client:bkn-sync', kind: 'AGENCY_SYSTEM', label: 'bkn-sync' },
          ],
          edges: [
            { from: 'client:bkn-sync', to: 'gateway', kind: 'CALL', label: null, count: 30, errors: 2, rate: 2 },
            { from: 'gateway', to: 'personnel', kind: 'CALL', label: null, count: 60, errors: 0, rate: 4 },
            { from: 'personnel', to: 'identity', kind: 'EVENT', label: 'employee.appointed', count: 5, errors: 0, rate: 0.3 },
          ],
        },
      }),
    });
    const { container } = renderWithGraph(<ServiceMapPage />, graph.request);
    await waitFor(() => expect(container.querySelectorAll('[data-node]')).toHaveLength(4));
    expect([...container.querySelectorAll<SVGElement>('[data-edge]')].map((e) => e.dataset.edge)).toEqual([
      'client:bkn-sync->gateway',
      'gateway->personnel',
      'personnel->identity',
    ]);
    expect(container.querySelector('.map-edge-event')).toBeTruthy();
    expect(container.querySelector('.map-edge-errors')!.getAttribute('data-edge')).toBe('client:bkn-sync->gateway');
  });

  it('lists callers by agency and API client with their operations and error codes', async () => {
    const graph = fakeGraph({
      ConsoleAgencyTraffic: () => ({
        agencies: [],
        agencyTraffic: [
          {
            agencyCode: 'BKN',
            clientKind: 'API_CLIENT',
            apiClientId: 'bkn-sync',
            count: 30,
            errors: 2,
            lastSeen: new Date().toISOString(),
            operations: [
              { operationName: 'EmployeeByNip', services: ['personnel'], count: 30, errors: 2, errorCodes: [{ code: 'NOT_FOUND', count: 2 }], p95Ms: 18 },
            ],
          },
        ],
      }),
    });
    renderWithGraph(<AgencyTrafficPage />, graph.request);
    const section = await screen.findByRole('region', { name: 'API client bkn-sync (BKN)' });
    expect(section.textContent).toContain('NOT_FOUND × 2');
    expect(within(section).getByRole('link', { name: 'EmployeeByNip' }).getAttribute('href')).toContain('agency=BKN');
  });
});

describe('the login page', () => {
  it('logs in through the login mutation and shows a refusal', async () => {
    const onLogin = vi.fn();
    const good = fakeGraph({ ConsoleLogin: () => ({ login: { token: 't', user: { username: 'operator', roles: ['OPERATOR'] } } }) });
    renderWithGraph(<LoginPage request={good.request} onLogin={onLogin} />, good.request);
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'operator' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'secret' } });
    fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
    await waitFor(() => expect(onLogin).toHaveBeenCalledWith({ token: 't', username: 'operator', roles: ['OPERATOR'] }));
    expect(good.calls[0]!.variables).toEqual({ username: 'operator', password: 'secret' });
    cleanup();
    const bad = fakeGraph({
      ConsoleLogin: () => {
        throw new GraphQLRequestError('Wrong username or password', 'UNAUTHENTICATED', undefined);
      },
    });
    renderWithGraph(<LoginPage request={bad.request} onLogin={onLogin} />, bad.request);
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'x' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'y' } });
    fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
    expect((await screen.findByRole('alert')).textContent).toContain('UNAUTHENTICATED');
  });
});
