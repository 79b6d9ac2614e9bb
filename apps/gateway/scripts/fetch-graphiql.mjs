// Puts GraphiQL's browser files in ./graphiql, so the gateway serves them itself
// (src/http/graphiql-assets.ts). They come from the npm registry as one package
// tarball: `npm pack` fetches @graphql-yoga/graphiql without its dependencies, which
// would pull in another graphql, React and more for files that only a browser runs.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const VERSION = '4.5.0';
const FILES = ['graphiql.css', 'yoga-graphiql.umd.js', 'monacoeditorwork'];
const out = fileURLToPath(new URL('../graphiql/', import.meta.url));
const stamp = join(out, 'VERSION');

if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === VERSION) process.exit(0);

const tmp = mkdtempSync(join(tmpdir(), 'graphiql-'));
try {
  const tarball = execFileSync('npm', ['pack', `@graphql-yoga/graphiql@${VERSION}`, '--pack-destination', tmp, '--silent'], {
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .pop();
  execFileSync('tar', ['-xzf', join(tmp, tarball), '-C', tmp]);
  rmSync(out, { recursive: true, force: true });
  for (const file of FILES) cpSync(join(tmp, 'package', 'dist', file), join(out, file), { recursive: true });
  writeFileSync(stamp, `${VERSION}\n`);
  console.log(`GraphiQL ${VERSION} files in ${out}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
