/**
 * Operators' view of the dead-letter stream:
 *
 *   npm run dead-letters -- list [consumer]      what consumers gave up on, and why
 *   npm run dead-letters -- show <seq>           one dead letter with its payload
 *   npm run dead-letters -- replay <seq>         publish it again on its original subject
 *   npm run dead-letters -- discard <seq>        drop it
 *
 * NATS_URL and SIMPUL_NAMESPACE say where to look (defaults: the local server, `simpul`).
 */
import { subjectsFor } from '@simpul/contracts';
import { connectBus } from '../connection.ts';
import { discardDeadLetter, getDeadLetter, listDeadLetters, replayDeadLetter, type DeadLetter } from '../dead-letters.ts';
import { readCliEnvironment } from './environment.ts';

const USAGE = 'usage: npm run dead-letters -- list [consumer] | show <seq> | replay <seq> | discard <seq>';

function line(d: DeadLetter): string {
  return `#${d.seq}  ${d.failedAt}  ${d.consumer}  ${d.subject}  event ${d.eventId ?? '(unreadable)'}  deliveries ${d.deliveries}\n      reason: ${d.reason}`;
}

function sequence(arg: string | undefined): number {
  const seq = Number(arg);
  if (!Number.isInteger(seq) || seq < 1) throw new Error(`expected a dead-letter sequence number, got "${arg ?? ''}"\n${USAGE}`);
  return seq;
}

async function main(argv: string[]): Promise<number> {
  const [command, arg] = argv;
  if (!command || !['list', 'show', 'replay', 'discard'].includes(command)) {
    console.error(USAGE);
    return 2;
  }
  const env = readCliEnvironment();
  const subjects = subjectsFor(env.SIMPUL_NAMESPACE);
  const nc = await connectBus({ url: env.NATS_URL, name: 'dead-letters-cli', seedFile: env.NATS_NKEY_SEED_FILE });
  try {
    if (command === 'list') {
      const letters = await listDeadLetters(nc, subjects, { ...(arg ? { consumer: arg } : {}), limit: 1_000 });
      console.log(letters.length ? letters.map(line).join('\n') : `no dead letters in ${subjects.deadLetterStream}`);
    } else if (command === 'show') {
      const letter = await getDeadLetter(nc, subjects, sequence(arg));
      if (!letter) throw new Error(`no dead letter #${arg}`);
      console.log(`${line(letter)}\n      payload: ${letter.payload}`);
    } else if (command === 'replay') {
      const letter = await replayDeadLetter(nc, subjects, sequence(arg));
      console.log(`replayed #${letter.seq} on ${letter.subject} (event ${letter.eventId ?? '?'}); removed from ${subjects.deadLetterStream}`);
    } else {
      const seq = sequence(arg);
      if (!(await discardDeadLetter(nc, subjects, seq))) throw new Error(`no dead letter #${seq} in ${subjects.deadLetterStream}`);
      console.log(`discarded #${seq}`);
    }
    return 0;
  } finally {
    await nc.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`dead-letters: ${(error as Error).message}`);
    process.exit(1);
  },
);
