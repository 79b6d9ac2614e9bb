import { subjectsFor } from '@simpul/contracts';
import { connectTestBus, postGraphQL, type GraphQLResponse } from './graphql.ts';
import { testNatsUrl } from './infrastructure.ts';

/**
 * The NATS requests a gateway sends to answer one operation, by service. Requests are
 * told apart from the services' own (identity asked by personnel, ...) by the gateway's
 * reply inbox, learnt first from a request only the gateway makes.
 */
export async function countGatewayRequests(
  namespace: string,
  gatewayUrl: string,
  query: string,
  variables: Record<string, unknown>,
  token?: string,
): Promise<{ counts: Record<string, number>; body: GraphQLResponse }> {
  const nc = await connectTestBus(testNatsUrl());
  const seen: { service: string; inbox: string }[] = [];
  const sub = nc.subscribe(`${subjectsFor(namespace).namespace}.*.graphql`, {
    callback: (_e, msg) => {
      seen.push({ service: msg.subject.split('.')[1]!, inbox: (msg.reply ?? '').split('.').slice(0, -1).join('.') });
    },
  });
  await nc.flush();
  try {
    await postGraphQL(gatewayUrl, '{ __typename health }');
    await nc.flush();
    const gatewayInbox = seen.at(-1)!.inbox;
    seen.length = 0;
    const res = await postGraphQL(gatewayUrl, query, variables, token);
    await nc.flush();
    const counts: Record<string, number> = {};
    for (const { service, inbox } of seen) if (inbox === gatewayInbox) counts[service] = (counts[service] ?? 0) + 1;
    return { counts, body: res.body };
  } finally {
    sub.unsubscribe();
    await nc.close();
  }
}
