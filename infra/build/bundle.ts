// Compiles each app into plain JavaScript for the production image, so that nothing runs
// TypeScript (tsx) at run time and no dev dependency is needed:
//
//   npm run bundle                 # the gateway and every service
//   npm run bundle -- identity     # some of them
//
// For each app, esbuild writes apps/<app>/dist/<entry>.mjs for src/main.ts and for each
// src/cli/*.ts (migrate, seed, ...), with shared chunks beside them and source maps.
// Our own code (the app and the @simpul/* packages it uses, which are TypeScript
// source) is bundled in; every npm package stays an import, resolved from node_modules
// at run time, where the image has the production dependencies only.
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile, type Plugin } from 'esbuild';
import { SERVICES } from '@simpul/contracts';

export const REPOSITORY_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface AppBundle {
  app: string;
  /** apps/<app>/dist */
  outdir: string;
  /** The entry files written, e.g. ['main.mjs', 'migrate.mjs', 'seed.mjs']. */
  entries: string[];
  metafile: Metafile;
}

/** The platform's processes whose code is here: the gateway and each service of the contracts' list. */
export async function bundleableApps(root = REPOSITORY_ROOT): Promise<string[]> {
  const apps: string[] = [];
  for (const name of ['gateway', ...SERVICES]) {
    if (await exists(join(root, 'apps', name, 'src', 'main.ts'))) apps.push(name);
  }
  return apps;
}

export async function bundleApp(app: string, root = REPOSITORY_ROOT): Promise<AppBundle> {
  const appDir = join(root, 'apps', app);
  const outdir = join(appDir, 'dist');
  const cliDir = join(appDir, 'src', 'cli');
  const cli = (await exists(cliDir)) ? (await readdir(cliDir)).filter((f) => f.endsWith('.ts')).map((f) => join(cliDir, f)) : [];
  const entryPoints = [join(appDir, 'src', 'main.ts'), ...cli.sort()];
  await rm(outdir, { recursive: true, force: true });
  const result = await build({
    entryPoints,
    outdir,
    // Every output file lies directly in dist/, one level below the app like src/: see
    // keepSourceLocations.
    entryNames: '[name]',
    chunkNames: '[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    bundle: true,
    // Dynamic imports stay lazy chunks: main.ts imports the service (and so Prisma) only
    // after tracing is set up, and that order must survive bundling.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    sourcemap: 'linked',
    sourcesContent: false,
    keepNames: true,
    metafile: true,
    logLevel: 'warning',
    plugins: [npmPackagesExternal(), keepSourceLocations(outdir)],
  });
  return { app, outdir, entries: entryPoints.map((e) => `${basename(e, '.ts')}.mjs`), metafile: result.metafile };
}

/** npm packages and Node's own modules are imported at run time; only @simpul/* is bundled. */
function npmPackagesExternal(): Plugin {
  return {
    name: 'npm-packages-external',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@simpul/') ? undefined : { path: args.path, external: true }));
    },
  };
}

/**
 * Code that finds files next to itself (`new URL('../prisma/migrations', import.meta.url)`)
 * would look beside the bundle instead. Each of our source files gets, in place of
 * `import.meta.url`, the URL of where it lies in the repository, computed from the
 * bundle's own URL; so a path relative to a source file means the same file in the
 * image (which keeps apps/<app>/prisma/migrations, apps/gateway/graphiql, ...).
 */
function keepSourceLocations(outdir: string): Plugin {
  return {
    name: 'keep-source-locations',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (args.path.split(sep).includes('node_modules')) return undefined;
        const source = await readFile(args.path, 'utf8');
        if (!source.includes('import.meta.url')) return undefined;
        const fromBundle = relative(outdir, args.path).split(sep).join('/');
        return {
          contents: source.replaceAll('import.meta.url', `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`),
          loader: 'ts',
          resolveDir: dirname(args.path),
        };
      });
    },
  };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function main(): Promise<void> {
  const requested = process.argv.slice(2);
  const available = await bundleableApps();
  const unknown = requested.filter((a) => !available.includes(a));
  if (unknown.length > 0) {
    console.error(`[bundle] error: no app ${unknown.join(', ')} (apps: ${available.join(', ')})`);
    process.exit(2);
  }
  for (const app of requested.length > 0 ? requested : available) {
    const bundle = await bundleApp(app);
    const bytes = Object.entries(bundle.metafile.outputs)
      .filter(([file]) => file.endsWith('.mjs'))
      .reduce((sum, [, output]) => sum + output.bytes, 0);
    console.log(`[bundle] ${app}: ${bundle.entries.join(', ')} in ${relative(REPOSITORY_ROOT, bundle.outdir)} (${Math.round(bytes / 1024)} KiB)`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
