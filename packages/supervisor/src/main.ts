// The supervisor as a command, for infra/scripts/start.sh (npm start):
//
//   node --import tsx packages/supervisor/src/main.ts [options] NAME=COMMAND...
//
// Each NAME=COMMAND is one process; COMMAND is split on spaces (no shell, no quoting),
// e.g. `identity=npm run -w @simpul/identity start`. Per-process settings go through
// env(1): `personnel=env DATABASE_URL=postgresql://… npm run -w @simpul/personnel start`.
// SIGINT (Ctrl-C), SIGTERM and SIGHUP stop every process and exit 0; the exit status is 1
// when every process was given up, 2 for bad arguments.
import { parseArgs } from 'node:util';
import { DEFAULT_RESTART_POLICY, type RestartPolicy } from './restart-policy.ts';
import { Supervisor, type ProcessSpec } from './supervisor.ts';

const USAGE = 'usage: supervisor [--restart-limit N] [--backoff-ms MS] [--max-backoff-ms MS] [--stable-ms MS] [--stop-timeout-ms MS] NAME=COMMAND...';

function fail(message: string): never {
  console.error(`[supervisor] error: ${message}\n${USAGE}`);
  process.exit(2);
}

function parseCommandLine(argv: string[]): { specs: ProcessSpec[]; policy: RestartPolicy; stopTimeoutMs: number } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'restart-limit': { type: 'string' },
        'backoff-ms': { type: 'string' },
        'max-backoff-ms': { type: 'string' },
        'stable-ms': { type: 'string' },
        'stop-timeout-ms': { type: 'string' },
      },
    });
  } catch (error) {
    fail((error as Error).message);
  }
  const { values, positionals } = parsed;
  const count = (name: keyof typeof values, fallback: number): number => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) fail(`--${name} must be a whole number of 0 or more, got '${raw}'`);
    return n;
  };
  const policy: RestartPolicy = {
    restartLimit: count('restart-limit', DEFAULT_RESTART_POLICY.restartLimit),
    backoffMs: count('backoff-ms', DEFAULT_RESTART_POLICY.backoffMs),
    maxBackoffMs: count('max-backoff-ms', DEFAULT_RESTART_POLICY.maxBackoffMs),
    stableMs: count('stable-ms', DEFAULT_RESTART_POLICY.stableMs),
  };
  if (positionals.length === 0) fail('no process given');
  const specs = positionals.map((arg): ProcessSpec => {
    const match = /^([A-Za-z0-9_.-]+)=(.+)$/.exec(arg);
    const words = match?.[2]?.trim().split(/\s+/) ?? [];
    const [command, ...args] = words;
    if (!match?.[1] || command === undefined) fail(`'${arg}' is not NAME=COMMAND`);
    return { name: match[1], command, args };
  });
  return { specs, policy, stopTimeoutMs: count('stop-timeout-ms', 10_000) };
}

// A closed output pipe (`npm start | head`) must not take the processes down with it.
process.stdout.on('error', () => {});

const { specs, policy, stopTimeoutMs } = parseCommandLine(process.argv.slice(2));
let supervisor: Supervisor;
try {
  supervisor = new Supervisor(specs, { policy, stopTimeoutMs, write: (line) => process.stdout.write(`${line}\n`) });
} catch (error) {
  fail((error as Error).message);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    // A second Ctrl-C changes nothing: the stop already escalates to SIGKILL by itself.
    process.stdout.write(`[supervisor] ${signal}: stopping every process (SIGKILL after ${stopTimeoutMs / 1000} s)\n`);
    void supervisor.stop();
  });
}

supervisor.start();
const end = await supervisor.ended;
process.exit(end === 'stopped' ? 0 : 1);
