import { runProcess } from '@simpul/kit';
import { readEnvironment } from './environment.ts';

await runProcess({
  name: 'gateway',
  readEnvironment,
  start: async (env, logger) => {
    const { busState, connectBus, platformInboxPrefix } = await import('@simpul/bus');
    const { subjectsFor } = await import('@simpul/contracts');
    const { createGateway } = await import('./gateway.ts');
    const nc = await connectBus({
      url: env.NATS_URL,
      name: 'gateway',
      logger,
      seedFile: env.NATS_NKEY_SEED_FILE,
      inboxPrefix: platformInboxPrefix(subjectsFor(env.SIMPUL_NAMESPACE), 'gateway'),
    });
    try {
      const gateway = await createGateway({ env, nc, logger });
      const url = await gateway.listen();
      logger.info({ graphiql: `${url}/graphql` }, `Simpul gateway listening: GraphiQL at ${url}/graphql`);
      return {
        async stop() {
          await gateway.close();
          await nc.drain();
        },
        // HEALTH_PORT's /ready: this gateway can serve when its NATS connection is up. Not
        // every service (that is GET /ready on the gateway's own port): with one service
        // away, the gateway still answers the others' fields, so it stays in rotation.
        async health() {
          const nats = busState(nc);
          return { status: nats === 'connected' ? 'ok' : 'degraded', checks: { nats: nats === 'connected' ? 'ok' : nats } };
        },
      };
    } catch (error) {
      await nc.close();
      throw error;
    }
  },
});
