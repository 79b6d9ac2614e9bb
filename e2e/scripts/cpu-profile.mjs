// Preloaded with NODE_OPTIONS="--import .../cpu-profile.mjs" (where --cpu-prof is not
// allowed): profiles the whole process and writes CPU_PROFILE_DIR/<pid>.cpuprofile at exit,
// for Chrome DevTools or speedscope.
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';

const session = new Session();
session.connect();
session.post('Profiler.enable');
session.post('Profiler.start');
process.on('exit', () => {
  // A session on the main thread answers synchronously, so this works in an exit handler.
  session.post('Profiler.stop', (error, result) => {
    if (!error) writeFileSync(`${process.env.CPU_PROFILE_DIR ?? '.'}/${process.pid}.cpuprofile`, JSON.stringify(result.profile));
  });
});
