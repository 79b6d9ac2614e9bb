import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { SERVICES } from '@simpul/contracts';
import { REPOSITORY_ROOT } from '../build/bundle.ts';

/**
 * infra/docker-compose.yml, checked without a Docker engine: against the Compose
 * Specification's JSON schema (vendored in test/schemas, see its README), and for what
 * Simpul needs of it: every service of the contracts' list, the gateway stitching them
 * all, PostgreSQL, NATS, and the migrate step before the services.
 */
interface ComposeService {
  command?: string | string[];
  environment?: Record<string, string | null>;
  depends_on?: Record<string, { condition: string }>;
  image?: string;
  ports?: string[];
}
interface ComposeFile {
  services: Record<string, ComposeService>;
}

const NATS_NODES = ['nats-1', 'nats-2', 'nats-3'];
const COMPOSE_FILE = join(REPOSITORY_ROOT, 'infra/docker-compose.yml');
const read = (): ComposeFile => parse(readFileSync(COMPOSE_FILE, 'utf8'), { merge: true }) as ComposeFile;

function composeValidator() {
  const schema = JSON.parse(readFileSync(join(import.meta.dirname, 'schemas/compose-spec.json'), 'utf8')) as Record<string, unknown>;
  // Draft 07, which Ajv knows as http://json-schema.org/draft-07/schema# (the file says https).
  delete schema.$schema;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats.default(ajv);
  return ajv.compile(schema);
}

const command = (s: ComposeService | undefined) => [s?.command ?? []].flat().join(' ');

describe('infra/docker-compose.yml', () => {
  const validate = composeValidator();

  it('follows the Compose Specification', () => {
    const valid = validate(read());
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('would be refused by the same check if it were wrong (the check is not vacuous)', () => {
    const broken = read();
    (broken.services.gateway as Record<string, unknown>).dependson = broken.services.gateway?.depends_on;
    (broken.services.identity as Record<string, unknown>).restart = ['always'];
    expect(validate(broken)).toBe(false);
    expect(validate.errors?.map((e) => e.instancePath)).toEqual(expect.arrayContaining(['/services/gateway', '/services/identity/restart']));
  });

  it('runs every service of the contracts from its compiled bundle, after the migrate step', () => {
    const { services } = read();
    for (const name of SERVICES) {
      const service = services[name];
      expect(service, `compose service ${name}`).toBeDefined();
      expect(command(service), name).toBe(`node apps/${name}/dist/main.mjs`);
      expect(service?.depends_on?.migrate?.condition, name).toBe('service_completed_successfully');
      for (const node of NATS_NODES) expect(service?.depends_on?.[node]?.condition, `${name} after ${node}`).toBe('service_healthy');
      expect(service?.environment?.DATABASE_URL, name).toMatch(/@postgres:5432$/);
    }
  });

  it("migrates every service's database in the migrate step, and seeds them only in demo mode", () => {
    const migrate = command(read().services.migrate);
    const loops = [...migrate.matchAll(/for s in ([\w ]+); do node apps\/\$\$s\/dist\/(migrate|seed)\.mjs/g)].map((m) => [m[2], (m[1] as string).split(' ')]);
    expect(loops).toEqual([
      ['migrate', [...SERVICES]],
      ['seed', [...SERVICES]],
    ]);
    expect(migrate).toMatch(/if \[ "\$\$SIMPUL_DEMO" = true \]; then\s+for s in [\w ]+; do node apps\/\$\$s\/dist\/seed\.mjs/);
  });

  it('runs the gateway in front of every service, with PostgreSQL and NATS', () => {
    const { services } = read();
    const gateway = services.gateway;
    expect(command(gateway)).toBe('node apps/gateway/dist/main.mjs');
    expect(gateway?.environment?.GATEWAY_SERVICES?.split(',')).toEqual([...SERVICES]);
    for (const name of SERVICES) expect(gateway?.depends_on?.[name]?.condition, name).toBe('service_healthy');
    expect(gateway?.ports).toEqual(['${GATEWAY_PUBLISH:-4000}:4000']);
    expect(services.postgres?.image).toMatch(/^postgres:\d+/);
  });

  it('runs NATS as a three-node JetStream cluster, and gives every process all three nodes', () => {
    const { services } = read();
    for (const node of NATS_NODES) {
      const nats = services[node];
      expect(nats?.image, node).toMatch(/^nats:2\.\d+/);
      const args = command(nats);
      expect(args, node).toContain('-js');
      expect(args, node).toContain(`-n ${node}`);
      expect(args, node).toContain('--cluster_name simpul');
      expect(args, node).toContain(`--routes ${NATS_NODES.map((n) => `nats://${n}:6222`).join(',')}`);
    }
    // Seeds, not one server: a process whose node dies reconnects to a survivor.
    for (const name of [...SERVICES, 'gateway', 'migrate']) {
      const env = services[name]?.environment;
      expect(env?.NATS_URL?.split(','), name).toEqual(NATS_NODES.map((n) => `nats://${n}:4222`));
      expect(env?.NATS_STREAM_REPLICAS, name).toBe('3');
    }
  });
});
