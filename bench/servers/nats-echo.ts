// The transport floor: a process that answers every request on a subject with the
// request's own bytes, as fast as the NATS client allows.
import { connect } from '@nats-io/transport-node';

const [url = 'nats://127.0.0.1:4222', subject = 'bench.echo'] = process.argv.slice(2);
const nc = await connect({ servers: url, name: 'bench-echo' });
nc.subscribe(subject, { queue: 'echo', callback: (_e, msg) => void msg.respond(msg.data) });
await nc.flush();
console.log('echo ready');
process.on('SIGTERM', () => void nc.drain().then(() => process.exit(0)));
