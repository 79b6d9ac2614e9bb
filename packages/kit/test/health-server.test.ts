import { afterEach, describe, expect, it } from 'vitest';
import { startHealthServer, type HealthServer, type ProcessHealth } from '../src/health-server.ts';

const servers: HealthServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(ready?: () => Promise<ProcessHealth>): Promise<string> {
  const server = await startHealthServer({ port: 0, ready });
  servers.push(server);
  return `http://127.0.0.1:${server.port}`;
}

async function get(url: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.json() };
}

describe('startHealthServer', () => {
  it('answers /health while the process runs, and /ready from the report', async () => {
    let report: ProcessHealth = { status: 'ok', checks: { nats: 'ok', database: 'ok' } };
    const url = await serve(async () => report);
    expect(await get(`${url}/health`)).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await get(`${url}/ready`)).toEqual({ status: 200, body: report });

    report = { status: 'degraded', checks: { nats: 'ok', database: 'connection refused' } };
    expect(await get(`${url}/ready`)).toEqual({ status: 503, body: report });
    expect((await get(`${url}/health`)).status).toBe(200);
  });

  it('is not ready when the check itself fails, and says why', async () => {
    const url = await serve(async () => {
      throw new Error('pool closed');
    });
    expect(await get(`${url}/ready`)).toEqual({ status: 503, body: { status: 'degraded', checks: { health: 'pool closed' } } });
  });

  it('treats /ready as /health without a check, and refuses other paths and methods', async () => {
    const url = await serve();
    expect((await get(`${url}/ready`)).status).toBe(200);
    expect((await get(`${url}/metrics`)).status).toBe(404);
    expect((await fetch(`${url}/health`, { method: 'POST' })).status).toBe(405);
  });

  it('fails to start with the reason when the port is taken', async () => {
    const taken = await startHealthServer({ port: 0 });
    servers.push(taken);
    await expect(startHealthServer({ port: taken.port })).rejects.toThrow(/EADDRINUSE/);
  });
});
