// Summarise a .cpuprofile: self time by function and by package (node_modules/<pkg> or file).
import { readFileSync } from 'node:fs';
const prof = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const n = Number(process.argv[3] ?? 25);
const byId = new Map(prof.nodes.map((x) => [x.id, x]));
const self = new Map();
const dt = prof.timeDeltas;
let total = 0;
for (let i = 0; i < prof.samples.length; i++) {
  const id = prof.samples[i];
  self.set(id, (self.get(id) ?? 0) + (dt[i] ?? 0));
  total += dt[i] ?? 0;
}
const fn = new Map(),
  pkg = new Map();
for (const [id, t] of self) {
  const cf = byId.get(id).callFrame;
  const url = cf.url.replace(/^file:\/\//, '');
  const k = `${cf.functionName || '(anon)'} ${url.split('/').slice(-2).join('/')}:${cf.lineNumber + 1}`;
  fn.set(k, (fn.get(k) ?? 0) + t);
  let p = url.includes('node_modules/')
    ? url
        .split('node_modules/')
        .pop()
        .split('/')
        .slice(0, url.split('node_modules/').pop().startsWith('@') ? 2 : 1)
        .join('/')
    : url.startsWith('node:')
      ? 'node:internal'
      : url
        ? url
            .replace(/.*\/(apps|packages)\//, '$1/')
            .split('/')
            .slice(0, 3)
            .join('/')
        : cf.functionName;
  pkg.set(p, (pkg.get(p) ?? 0) + t);
}
const show = (m, title) => {
  console.log(`== ${title} (total ${(total / 1e6).toFixed(1)} s)`);
  for (const [k, t] of [...m].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`${((100 * t) / total).toFixed(1).padStart(5)}%  ${k}`);
};
show(pkg, 'by package');
show(fn, 'by function');
