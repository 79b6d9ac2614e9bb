import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { freePort } from './processes.ts';
import { startNatsServer, type TestNatsServer } from './nats-server.ts';

export interface TestNatsNode {
  name: string;
  server: TestNatsServer;
  monitorUrl: string;
}

export interface TestNatsCluster {
  /**
   * The nodes, named `n1`, `n2`, … (their JetStream server names), each with its
   * monitoring endpoint (`/connz`, `/jsz`): which clients a node serves, who leads.
   */
  readonly nodes: TestNatsNode[];
  /** Every node's client URL, comma-separated: what NATS_URL holds for a cluster. */
  readonly url: string;
  node(name: string): TestNatsServer;
  /** Stops every node and removes their stores; safe to call more than once and after a failed start. */
  destroy(): Promise<void>;
}

/**
 * Starts a NATS cluster with JetStream on loopback ports: `size` nats-server processes
 * whose cluster ports route to each other. Resolves once JetStream has a meta leader
 * (the cluster can create replicated streams). Whatever started is destroyed again
 * when the start fails.
 */
export async function startNatsCluster(size = 3, options: { timeoutMs?: number } = {}): Promise<TestNatsCluster> {
  const clusterPorts: number[] = [];
  const monitorPorts: number[] = [];
  for (let i = 0; i < size; i++) {
    clusterPorts.push(await freePort());
    monitorPorts.push(await freePort());
  }
  const nodes: TestNatsNode[] = [];
  const cluster: TestNatsCluster = {
    nodes,
    get url() {
      return nodes.map((n) => n.server.url).join(',');
    },
    node(name) {
      const found = nodes.find((n) => n.name === name);
      if (!found) throw new Error(`no NATS node ${name} (${nodes.map((n) => n.name).join(', ')})`);
      return found.server;
    },
    async destroy() {
      await Promise.allSettled(nodes.map((n) => n.server.destroy()));
    },
  };
  try {
    // Started together: a node waits for its routes before JetStream can elect a leader.
    const started = await Promise.all(
      clusterPorts.map((port, i) =>
        startNatsServer({
          args: [
            '-n',
            `n${i + 1}`,
            '--cluster_name',
            'simpul-test',
            '--cluster',
            `nats://127.0.0.1:${port}`,
            '--routes',
            clusterPorts
              .filter((p) => p !== port)
              .map((p) => `nats://127.0.0.1:${p}`)
              .join(','),
            '-m',
            String(monitorPorts[i]),
          ],
        }).then((server) => ({ name: `n${i + 1}`, server, monitorUrl: `http://127.0.0.1:${monitorPorts[i]}` })),
      ),
    );
    nodes.push(...started);
    await waitForMetaLeader(cluster.url, options.timeoutMs ?? 60_000);
    return cluster;
  } catch (error) {
    await cluster.destroy();
    throw error;
  }
}

async function waitForMetaLeader(url: string, timeoutMs: number): Promise<void> {
  const nc = await connect({ servers: url.split(','), name: 'cluster-check' });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        const jsm = await jetstreamManager(nc, { timeout: 5_000 });
        const info = await jsm.getAccountInfo();
        if (info) return;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`the NATS cluster elected no JetStream leader within ${timeoutMs / 1000} s: ${(error as Error).message}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await nc.close();
  }
}
