import { runProcess } from '@simpul/kit';
import { readEnvironment } from './environment.ts';

await runProcess({
  name: 'gateway',
  readEnvironment,
  start: async (env, logger) => {
    const { connectBus } = await import('@simpul/bus');
    const { createGateway } = await import('./gateway.ts');
    const nc = await connectBus({ url: env.NATS_URL, name: 'gateway', logger });
    try {
      const gateway = await createGateway({ env, nc, logger });
      const url = await gateway.listen();
      logger.info({ graphiql: `${url}/graphql` }, `Simpul gateway listening: GraphiQL at ${url}/graphql`);
      return {
        async stop() {
          await gateway.close();
          await nc.drain();
        },
      };
    } catch (error) {
      await nc.close();
      throw error;
    }
  },
});
