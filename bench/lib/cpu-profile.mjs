// Preloaded with `--import` (NODE_OPTIONS) by `suite.bench.ts --cpu-prof <dir>` into the
// gateway target's processes and the monolith. V8's CPU profiler runs only while a
// measurement does: the first SIGUSR2 starts it, the next one writes
// <dir>/<service or script>-<pid>-<n>.cpuprofile, so start-up and the other targets'
// measurements stay out of the profile. (Node 20 refuses --cpu-prof in NODE_OPTIONS.)
// Open the file in Chrome DevTools, or summarise it with lib/cpu-profile-top.mjs.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { basename } from 'node:path';

const dir = process.env.BENCH_CPU_PROF_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  // apps/<service>/src/main.ts, or bench/servers/<script>.ts
  const script = /apps\/([a-z]+)\//.exec(process.argv[1] ?? '')?.[1] ?? basename(process.argv[1] ?? 'node').replace(/\.[cm]?[jt]s$/, '');
  let running = false;
  let written = 0;
  process.on('SIGUSR2', () => {
    if (!running) {
      session.post('Profiler.start');
      running = true;
      return;
    }
    running = false;
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      written += 1;
      writeFileSync(`${dir}/${script}-${process.pid}-${written}.cpuprofile`, JSON.stringify(result.profile));
    });
  });
}
