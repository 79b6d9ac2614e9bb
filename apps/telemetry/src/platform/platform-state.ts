import { jetstreamManager } from '@nats-io/jetstream';
import { busState, type NatsConnection } from '@simpul/bus';
import { SERVICES } from '@simpul/contracts';
import type { PrismaClient } from '../db.ts';
import type { InstanceState } from './instances.ts';

/**
 * NATS and PostgreSQL as the telemetry service sees them. Database sizes and connection
 * counts come from the server's statistics (pg_stat_database), read on telemetry's own
 * connection: no service's data is read. Reachability is what each service's instances
 * reported about their own database.
 */
export async function platformState(nc: NatsConnection, prisma: PrismaClient, ownDatabase: string, instances: InstanceState[]) {
  const connected = busState(nc) === 'connected';
  let rttMs: number | null = null;
  let jetstream: { streams: number; consumers: number; messages: number; bytes: number } | null = null;
  if (connected) {
    rttMs = await nc.rtt().catch(() => null);
    try {
      const account = await (await jetstreamManager(nc)).getAccountInfo();
      jetstream = { streams: account.streams, consumers: account.consumers, messages: 0, bytes: account.storage + account.memory };
    } catch {
      jetstream = null;
    }
  }
  const info = nc.info;
  const names = new Map<string, string>(SERVICES.map((s) => [s === 'telemetry' ? ownDatabase : `simpul_${s}`, s]));
  const stats = await prisma.$queryRaw<{ datname: string; size: bigint; connections: number }[]>`
      SELECT datname, pg_database_size(datname) AS size, numbackends AS connections
      FROM pg_stat_database WHERE datname = ANY(${[...names.keys()]}::text[])`.catch(() => []);
  const databases = SERVICES.map((service) => {
    const database = [...names].find(([, s]) => s === service)![0];
    const stat = stats.find((s) => s.datname === database);
    const reports = instances.filter((i) => i.service === service && i.healthy);
    const check = reports.map((i) => i.checks.find((c) => c.key === 'database')?.value).find((v) => v !== undefined);
    const reachable = service === 'telemetry' ? true : check === 'ok';
    return {
      service,
      database,
      reachable,
      sizeBytes: stat ? Number(stat.size) : null,
      connections: stat?.connections ?? null,
      error: reachable ? null : (check ?? (reports.length ? 'not reported' : 'no running instance')),
    };
  });
  return {
    nats: { connected, server: info?.server_name ?? null, version: info?.version ?? null, rttMs, jetstream },
    databases,
  };
}
