import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICES, subjectsFor } from '@simpul/contracts';
import {
  connectTestBus,
  createTestDatabase,
  freePort,
  removeNamespaceStreams,
  startProcess,
  testNatsUrl,
  uniqueNamespace,
  type StartedProcess,
  type TestDatabase,
} from '@simpul/testing';
import { REPOSITORY_ROOT, bundleApp, bundleableApps, type AppBundle } from '../build/bundle.ts';

/**
 * The production image runs these bundles with production dependencies only (see
 * infra/Dockerfile). No Docker engine runs here, so the tests check what the image
 * relies on: every app compiles, its bundles import nothing but Node's modules and the
 * production dependencies of the code that imports them, and a service started from the
 * build output alone (no TypeScript, no tsx) migrates its database, starts and answers
 * its health.
 */
const bundles = new Map<string, AppBundle>();

beforeAll(async () => {
  for (const app of await bundleableApps()) bundles.set(app, await bundleApp(app));
}, 120_000);

/** `@scope/name/sub/path` → `@scope/name`; `name/sub` → `name`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
}

/** The workspace (apps/x, packages/x) that a source file belongs to. */
function workspaceOf(file: string): string {
  const [top, name] = relative(REPOSITORY_ROOT, file).split('/');
  return `${top}/${name}`;
}

function productionDependencies(workspace: string): Set<string> {
  const manifest = JSON.parse(readFileSync(join(REPOSITORY_ROOT, workspace, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  return new Set(Object.keys(manifest.dependencies ?? {}));
}

/** Where Node finds a package from a directory: the first node_modules/<name> on the way up. */
function installedPackage(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** Every import of an npm package or Node module left in an app's bundles: [source file, specifier]. */
function externalImports(bundle: AppBundle): [string, string][] {
  return Object.entries(bundle.metafile.inputs).flatMap(([input, info]) =>
    // `<runtime>` is esbuild's own helper module, written into the bundle.
    info.imports.filter((i) => i.external && i.path !== '<runtime>').map((i): [string, string] => [resolve(process.cwd(), input), i.path]),
  );
}

describe('production bundles', () => {
  it("compile the gateway and every service of the contracts, with each service's migrate and seed commands", () => {
    expect([...bundles.keys()].sort()).toEqual(['gateway', ...SERVICES.filter((s) => existsSync(join(REPOSITORY_ROOT, 'apps', s, 'src', 'main.ts')))].sort());
    for (const [app, bundle] of bundles) {
      expect(bundle.entries, app).toContain('main.mjs');
      if (app !== 'gateway') expect(bundle.entries, app).toEqual(expect.arrayContaining(['migrate.mjs', 'seed.mjs']));
      for (const entry of bundle.entries) expect(existsSync(join(bundle.outdir, entry)), `${app}/${entry}`).toBe(true);
    }
  });

  it('import only Node modules and the production dependencies of the workspace whose code imports them', () => {
    const builtins = new Set(builtinModules);
    const problems: string[] = [];
    for (const [app, bundle] of bundles) {
      const imports = externalImports(bundle);
      expect(imports.length, app).toBeGreaterThan(0);
      for (const [file, specifier] of imports) {
        if (specifier.startsWith('node:') || builtins.has(specifier)) continue;
        const workspace = workspaceOf(file);
        if (!productionDependencies(workspace).has(packageName(specifier))) {
          problems.push(`${app}: ${relative(REPOSITORY_ROOT, file)} imports '${specifier}', not a dependency of ${workspace}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('find each imported package where the source found it (no nested copy that the bundle would miss)', () => {
    const problems: string[] = [];
    for (const [app, bundle] of bundles) {
      for (const [file, specifier] of externalImports(bundle)) {
        if (specifier.startsWith('node:') || builtinModules.includes(specifier)) continue;
        const name = packageName(specifier);
        const fromSource = installedPackage(name, dirname(file));
        const fromBundle = installedPackage(name, bundle.outdir);
        if (fromSource !== fromBundle)
          problems.push(`${app}: '${name}' is ${fromSource} for ${relative(REPOSITORY_ROOT, file)} but ${fromBundle} for the bundle`);
      }
    }
    expect(problems).toEqual([]);
  });

  describe('a service started from the build output alone', () => {
    let dir: string;
    let database: TestDatabase;
    let service: StartedProcess | undefined;
    const namespace = uniqueNamespace();

    beforeAll(async () => {
      // The image's layout: apps/identity/{package.json,dist,prisma/migrations} and
      // node_modules, and nothing else (no src/, no packages/).
      dir = await mkdtemp(join(tmpdir(), 'simpul-image-'));
      const app = join(dir, 'apps', 'identity');
      await mkdir(join(app, 'prisma'), { recursive: true });
      await cp(join(REPOSITORY_ROOT, 'apps/identity/dist'), join(app, 'dist'), { recursive: true });
      await cp(join(REPOSITORY_ROOT, 'apps/identity/prisma/migrations'), join(app, 'prisma/migrations'), { recursive: true });
      await cp(join(REPOSITORY_ROOT, 'apps/identity/package.json'), join(app, 'package.json'));
      await symlink(join(REPOSITORY_ROOT, 'node_modules'), join(dir, 'node_modules'));
      database = await createTestDatabase('identity');
    });

    afterAll(async () => {
      await service?.stop();
      await database?.drop();
      await removeNamespaceStreams(namespace);
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('migrates its database, starts, and answers health over HTTP and NATS', async () => {
      const env = {
        PATH: process.env.PATH,
        HOME: dir,
        NODE_ENV: 'production',
        DATABASE_URL: database.url,
        NATS_URL: testNatsUrl(),
        SIMPUL_NAMESPACE: namespace,
        SIMPUL_ADMIN_PASSWORD: `bundle-${randomBytes(9).toString('base64url')}`,
        // Production refuses to start without the key that seals the signing keys.
        SIMPUL_MASTER_KEY: randomBytes(32).toString('base64'),
        SIMPUL_STATE_DIR: join(dir, 'state'),
      };
      const migrate = startProcess(process.execPath, ['apps/identity/dist/migrate.mjs'], { cwd: dir, env });
      expect(await migrate.exited, migrate.output()).toBe(0);
      expect(migrate.output()).toMatch(/Applied migrations: \d{14}_init/);

      const healthPort = await freePort();
      service = startProcess(process.execPath, ['apps/identity/dist/main.mjs'], { cwd: dir, env: { ...env, HEALTH_PORT: String(healthPort) } });
      await service.waitFor(/identity started/, 60_000);
      await service.waitFor(/health on port/, 10_000);

      const ready = await fetch(`http://127.0.0.1:${healthPort}/ready`);
      expect(ready.status).toBe(200);
      // (The report also says how many events wait in the outbox, for the operators' console.)
      expect(await ready.json()).toMatchObject({ status: 'ok', checks: { database: 'ok', nats: 'ok' } });
      expect((await fetch(`http://127.0.0.1:${healthPort}/health`)).status).toBe(200);

      const nc = await connectTestBus(testNatsUrl());
      try {
        const reply = await nc.request(subjectsFor(namespace).health('identity'), '', { timeout: 10_000 });
        expect(reply.json()).toMatchObject({ status: 'ok' });
      } finally {
        await nc.close();
      }

      expect(await service.stop(10_000)).toBe(0);
    });
  });
});
