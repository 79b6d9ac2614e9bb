import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeJson } from '@simpul/bus';
import { telemetrySubjects } from '@simpul/contracts';
import { exchangeRecord } from './support/exchanges.ts';
import { AUDITOR, eventually, OPERATOR, startTestTelemetry, type TestTelemetry } from './support/telemetry.ts';

describe('exchange records, metrics and agency traffic', () => {
  let t: TestTelemetry;
  beforeAll(async () => {
    t = await startTestTelemetry();
  });
  afterAll(() => t?.close());

  const publish = (record: unknown) => t.client.publish(telemetrySubjects(t.service.subjects).exchange, encodeJson(record));

  it('takes records off NATS, ignores what is not a record, and lists them newest first with filters', async () => {
    const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000);
    const records = [
      ...[5, 10, 15, 20].map((ms, i) => exchangeRecord(new Date(minute.getTime() + i * 1000), { durationMs: ms })),
      exchangeRecord(new Date(minute.getTime() + 5000), {
        durationMs: 100,
        outcome: 'PARTIAL',
        errorCodes: ['FORBIDDEN'],
        operationName: 'Letters',
        services: [{ service: 'documents', requests: 2, failed: 1 }],
      }),
      exchangeRecord(new Date(minute.getTime() + 6000), {
        clientKind: 'API_CLIENT',
        apiClientId: 'client-9',
        agencyCode: 'KAB-BANYUWANGI',
        operationName: 'Employees',
        services: [{ service: 'personnel', requests: 1, failed: 0 }],
      }),
    ];
    for (const r of records) publish(r);
    publish({ id: 'not-a-uuid', at: 'yesterday' });
    t.client.publish(telemetrySubjects(t.service.subjects).exchange, new TextEncoder().encode('not json'));
    await eventually(async () => {
      await t.service.ingest.flush();
      const count = await t.service.prisma.exchange.count();
      return count === records.length ? count : undefined;
    });

    const all = await t.gql(
      '{ exchanges(first: 10) { totalCount edges { node { id at operationName outcome errorCodes services natsRequests } } } }',
      {},
      OPERATOR,
    );
    expect(all.data.exchanges.totalCount).toBe(records.length);
    const ats = all.data.exchanges.edges.map((e: { node: { at: string } }) => e.node.at);
    expect([...ats].sort().reverse()).toEqual(ats);

    const failed = await t.gql('{ exchanges(filter: { errorCode: "FORBIDDEN" }) { edges { node { operationName outcome services } } } }', {}, AUDITOR);
    expect(failed.data.exchanges.edges).toEqual([{ node: { operationName: 'Letters', outcome: 'PARTIAL', services: ['documents'] } }]);

    const page1 = await t.gql('{ exchanges(first: 2) { pageInfo { endCursor hasNextPage } edges { node { id } } } }', {}, OPERATOR);
    const page2 = await t.gql(
      'query ($after: String) { exchanges(first: 10, after: $after) { edges { node { id } } } }',
      { after: page1.data.exchanges.pageInfo.endCursor },
      OPERATOR,
    );
    expect(page1.data.exchanges.pageInfo.hasNextPage).toBe(true);
    expect(page2.data.exchanges.edges).toHaveLength(records.length - 2);
  });

  it('computes rate, errors and p50/p95/p99 per minute per operation, service and agency', async () => {
    const from = new Date(Date.now() - 10 * 60_000).toISOString();
    const result = await t.gql(
      `query ($from: String) {
        op: metrics(dimension: OPERATION, key: "Me", from: $from) { key total { count errors p50Ms p99Ms } points { minute count } }
        service: metrics(dimension: SERVICE, from: $from) { key total { count errors } }
        agency: metrics(dimension: AGENCY, from: $from) { key total { count errors errorRate } }
      }`,
      { from },
      OPERATOR,
    );
    expect(result.errors).toBeUndefined();
    const [me] = result.data.op;
    expect(me.key).toBe('Me');
    expect(me.total).toMatchObject({ count: 4, errors: 0 });
    expect(me.total.p50Ms).toBeCloseTo(12.5);
    expect(me.total.p99Ms).toBeGreaterThan(19);
    expect(me.points).toHaveLength(1);
    expect(result.data.service).toEqual(
      expect.arrayContaining([
        { key: 'identity', total: { count: 4, errors: 0 } },
        { key: 'documents', total: { count: 1, errors: 1 } },
      ]),
    );
    expect(result.data.agency).toContainEqual({ key: 'KOMINFO', total: { count: 5, errors: 1, errorRate: 0.2 } });
  });

  it('shows which agency systems and API clients call what, and the service map edges', async () => {
    const traffic = await t.gql(
      '{ agencyTraffic { agencyCode clientKind apiClientId count errors operations { operationName services count errorCodes { code count } } } }',
      {},
      OPERATOR,
    );
    expect(traffic.data.agencyTraffic[0]).toMatchObject({ agencyCode: 'KOMINFO', clientKind: 'USER', count: 5, errors: 1 });
    expect(traffic.data.agencyTraffic[0].operations).toContainEqual({
      operationName: 'Letters',
      services: ['documents'],
      count: 1,
      errorCodes: [{ code: 'FORBIDDEN', count: 1 }],
    });
    expect(traffic.data.agencyTraffic).toContainEqual(
      expect.objectContaining({ agencyCode: 'KAB-BANYUWANGI', clientKind: 'API_CLIENT', apiClientId: 'client-9', count: 1 }),
    );

    const map = await t.gql('{ serviceMap { nodes { id kind } edges { from to kind count errors } } }', {}, OPERATOR);
    expect(map.data.serviceMap.nodes).toContainEqual({ id: 'client:client-9', kind: 'AGENCY_SYSTEM' });
    expect(map.data.serviceMap.edges).toContainEqual({ from: 'gateway', to: 'documents', kind: 'CALL', count: 2, errors: 1 });
    expect(map.data.serviceMap.edges).toContainEqual({ from: 'agency:KOMINFO', to: 'gateway', kind: 'CALL', count: 5, errors: 1 });
  });
});
