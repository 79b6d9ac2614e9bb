// Writes the Kubernetes manifests that repeat per process, from the contracts' list of
// services, so that every service has the same shape and a new service gets its own by
// running this again:
//
//   npm run k8s:generate -w @simpul/infra
//
// It writes infra/k8s/base/gateway.yaml, base/services/<service>.yaml (and their
// kustomization.yaml), base/migrate-job.yaml and overlays/development/nats-credentials.yaml.
// The rest of infra/k8s is written by hand. infra/test/kubernetes.test.ts fails when
// these files differ from what this script writes.
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { SERVICES } from '@simpul/contracts';
import { REPOSITORY_ROOT } from './bundle.ts';

type Manifest = Record<string, unknown>;

const IMAGE = 'simpul-platform'; // the overlays' `images:` say which registry and tag
const HEALTH_PORT = 8081;
const PART_OF = { 'app.kubernetes.io/part-of': 'simpul' };
/** Pods that may open a connection to NATS (infra/k8s/base/nats.yaml admits them). */
const NATS_CLIENT = { 'simpul.go.id/nats-client': 'true' };

const labels = (name: string, component: string) => ({ 'app.kubernetes.io/name': name, 'app.kubernetes.io/component': component });
const selector = (name: string) => ({ 'app.kubernetes.io/name': name });
/** The CloudNativePG cluster that holds one service's database. */
export const databaseCluster = (service: string) => `${service}-db`;

/** The pod settings every Simpul container shares: non-root, nothing writable but its volumes. */
const podSecurity = {
  runAsNonRoot: true,
  runAsUser: 1000,
  runAsGroup: 1000,
  fsGroup: 1000,
  seccompProfile: { type: 'RuntimeDefault' },
};
const containerSecurity = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
};
const writableVolumes = {
  mounts: [
    { name: 'state', mountPath: '/var/lib/simpul' },
    { name: 'tmp', mountPath: '/tmp' },
  ],
  volumes: [
    { name: 'state', emptyDir: {} },
    { name: 'tmp', emptyDir: {} },
  ],
};

const dnsEgress = {
  to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
  ports: [
    { protocol: 'UDP', port: 53 },
    { protocol: 'TCP', port: 53 },
  ],
};
const natsEgress = { to: [{ podSelector: { matchLabels: selector('nats') } }], ports: [{ protocol: 'TCP', port: 4222 }] };
const databaseEgress = (service: string) => ({
  to: [{ podSelector: { matchLabels: { 'cnpg.io/cluster': databaseCluster(service) } } }],
  ports: [{ protocol: 'TCP', port: 5432 }],
});
/** Simpul's telemetry service receives every process's spans (OTLP/HTTP) on this port. */
const OTLP_PORT = 4318;
const telemetryEgress = { to: [{ podSelector: { matchLabels: selector('telemetry') } }], ports: [{ protocol: 'TCP', port: OTLP_PORT }] };
/** Where a process sends spans: every process but the telemetry service itself (which would trace its own writes without end). */
const spanEgress = (name: string) => (name === 'telemetry' ? [] : [telemetryEgress]);
/** The kubelet's probes; most network plugins let them through anyway, some need saying. */
const healthIngress = { ports: [{ protocol: 'TCP', port: HEALTH_PORT }] };

interface ProcessOptions {
  name: string;
  component: 'gateway' | 'service';
  env: Manifest[];
  ports: Manifest[];
  resources: Manifest;
}

function deployment(p: ProcessOptions): Manifest {
  const probe = (path: string, periodSeconds: number, failureThreshold: number) => ({
    httpGet: { path, port: 'health' },
    periodSeconds,
    timeoutSeconds: 3,
    failureThreshold,
  });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: p.name, labels: labels(p.name, p.component) },
    spec: {
      replicas: 2,
      revisionHistoryLimit: 5,
      selector: { matchLabels: selector(p.name) },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels: { ...labels(p.name, p.component), ...NATS_CLIENT } },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          // runProcess drains NATS and closes the database within 10 s of SIGTERM.
          terminationGracePeriodSeconds: 30,
          securityContext: podSecurity,
          topologySpreadConstraints: [
            { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector(p.name) } },
            { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector(p.name) } },
          ],
          containers: [
            {
              name: p.name,
              image: IMAGE,
              command: ['node', `apps/${p.name}/dist/main.mjs`],
              ports: [...p.ports, { name: 'health', containerPort: HEALTH_PORT, protocol: 'TCP' }],
              envFrom: [
                { configMapRef: { name: 'simpul-settings' } },
                // NATS credentials of this process (whatever the NATS authentication scheme
                // needs as variables); created out of band in production.
                { secretRef: { name: `${p.name}-nats` } },
              ],
              env: p.env,
              resources: p.resources,
              // Up while it migrates and connects; /health answers once it has started.
              startupProbe: probe('/health', 2, 90),
              livenessProbe: probe('/health', 10, 3),
              // NATS connected (and, for a service, its database answering).
              readinessProbe: probe('/ready', 5, 2),
              securityContext: containerSecurity,
              volumeMounts: writableVolumes.mounts,
            },
          ],
          volumes: writableVolumes.volumes,
        },
      },
    },
  };
}

function disruptionBudget(name: string, component: string): Manifest {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, labels: labels(name, component) },
    spec: { maxUnavailable: 1, selector: { matchLabels: selector(name) } },
  };
}

function autoscaler(name: string, component: string, maxReplicas: number): Manifest {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name, labels: labels(name, component) },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicas: 2,
      maxReplicas,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
      behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
    },
  };
}

function networkPolicy(name: string, component: string, ingress: Manifest[], egress: Manifest[]): Manifest {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, labels: labels(name, component) },
    spec: { podSelector: { matchLabels: selector(name) }, policyTypes: ['Ingress', 'Egress'], ingress, egress },
  };
}

const NODE_OPTIONS = (heapMiB: number) => ({ name: 'NODE_OPTIONS', value: `--enable-source-maps --max-old-space-size=${heapMiB}` });

export function gatewayManifests(): Manifest[] {
  const name = 'gateway';
  return [
    deployment({
      name,
      component: 'gateway',
      ports: [{ name: 'http', containerPort: 4000, protocol: 'TCP' }],
      env: [{ name: 'GATEWAY_SERVICES', value: SERVICES.join(',') }, NODE_OPTIONS(384)],
      resources: { requests: { cpu: '500m', memory: '384Mi' }, limits: { memory: '512Mi' } },
    }),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, labels: labels(name, 'gateway') },
      spec: { selector: selector(name), ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
    },
    disruptionBudget(name, 'gateway'),
    autoscaler(name, 'gateway', 10),
    // Clients (through the ingress controller or a load balancer) on 4000; out only to NATS
    // and, with its spans, to the telemetry service.
    networkPolicy(name, 'gateway', [{ ports: [{ protocol: 'TCP', port: 4000 }] }, healthIngress], [dnsEgress, natsEgress, ...spanEgress(name)]),
  ];
}

/** The telemetry service's OTLP receiver: its container port, settings, Service and who may send to it. */
function otlpReceiver(service: string): { ports: Manifest[]; env: Manifest[]; ingress: Manifest[]; objects: Manifest[] } {
  if (service !== 'telemetry') return { ports: [], env: [], ingress: [], objects: [] };
  return {
    ports: [{ name: 'otlp', containerPort: OTLP_PORT, protocol: 'TCP' }],
    env: [
      { name: 'OTLP_HOST', value: '0.0.0.0' },
      { name: 'OTLP_PORT', value: String(OTLP_PORT) },
      // It does not send its own spans to itself (storing spans makes spans).
      { name: 'SIMPUL_TELEMETRY_URL', value: 'off' },
    ],
    // Spans from every Simpul process (the pods that are NATS clients are exactly those).
    ingress: [{ from: [{ podSelector: { matchLabels: NATS_CLIENT } }], ports: [{ protocol: 'TCP', port: OTLP_PORT }] }],
    objects: [
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: service, labels: labels(service, 'service') },
        spec: { selector: selector(service), ports: [{ name: 'otlp', port: OTLP_PORT, targetPort: 'otlp', protocol: 'TCP' }] },
      },
    ],
  };
}

export function serviceManifests(service: string): Manifest[] {
  const cluster = databaseCluster(service);
  const otlp = otlpReceiver(service);
  return [
    deployment({
      name: service,
      component: 'service',
      ports: otlp.ports,
      env: [
        ...otlp.env,
        // CloudNativePG's secret for the application user: a full URL with the database.
        { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: `${cluster}-app`, key: 'uri' } } },
        NODE_OPTIONS(384),
        ...(service === 'identity'
          ? // The first administrator's password, used only while there is none.
            [{ name: 'SIMPUL_ADMIN_PASSWORD', valueFrom: { secretKeyRef: { name: 'simpul-admin', key: 'password', optional: true } } }]
          : []),
        ...(service === 'identity' || service === 'documents'
          ? // The key-encryption key of the signing keys in the database; `previous` holds the old
            // key(s) during a rotation. Optional here so the development overlay (NODE_ENV=development,
            // one replica) runs on a generated key; in production the service refuses to start without it.
            [
              { name: 'SIMPUL_MASTER_KEY', valueFrom: { secretKeyRef: { name: `${service}-master-key`, key: 'current', optional: true } } },
              { name: 'SIMPUL_MASTER_KEY_PREVIOUS', valueFrom: { secretKeyRef: { name: `${service}-master-key`, key: 'previous', optional: true } } },
            ]
          : []),
      ],
      resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } },
    }),
    ...otlp.objects,
    disruptionBudget(service, 'service'),
    autoscaler(service, 'service', 8),
    // Nothing connects to a service (requests come over NATS) but spans to the telemetry
    // service; it reaches NATS, its own database, and the telemetry service with its spans.
    networkPolicy(service, 'service', [healthIngress, ...otlp.ingress], [dnsEgress, natsEgress, databaseEgress(service), ...spanEgress(service)]),
    {
      apiVersion: 'postgresql.cnpg.io/v1',
      kind: 'Cluster',
      metadata: { name: cluster, labels: labels(cluster, 'database') },
      spec: {
        instances: 1,
        imageName: 'ghcr.io/cloudnative-pg/postgresql:15',
        bootstrap: { initdb: { database: `simpul_${service}`, owner: service } },
        storage: { size: '5Gi' },
        resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '1Gi' } },
        postgresql: { parameters: { max_connections: '200' } },
        inheritedMetadata: { labels: PART_OF },
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: cluster, labels: labels(cluster, 'database') },
      spec: {
        podSelector: { matchLabels: { 'cnpg.io/cluster': cluster } },
        policyTypes: ['Ingress'],
        ingress: [
          // The service, the migrations, and the cluster's own instances (replication).
          {
            from: [
              { podSelector: { matchLabels: selector(service) } },
              { podSelector: { matchLabels: selector('migrate') } },
              { podSelector: { matchLabels: { 'cnpg.io/cluster': cluster } } },
            ],
            ports: [{ protocol: 'TCP', port: 5432 }],
          },
          // The CloudNativePG operator (its namespace, cnpg-system by default): status and control.
          {
            from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'cnpg-system' } } }],
            ports: [
              { protocol: 'TCP', port: 8000 },
              { protocol: 'TCP', port: 5432 },
            ],
          },
        ],
      },
    },
  ];
}

/** One Job, one container per service, run side by side: each creates and migrates its own database. */
export function migrateJobManifests(): Manifest[] {
  const name = 'migrate';
  return [
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'simpul-migrate', labels: labels(name, 'migration') },
      spec: {
        backoffLimit: 4,
        // Gone an hour after it finished, so the next release can apply a new one.
        ttlSecondsAfterFinished: 3600,
        template: {
          metadata: { labels: labels(name, 'migration') },
          spec: {
            restartPolicy: 'OnFailure',
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            securityContext: podSecurity,
            containers: SERVICES.map((service) => ({
              name: service,
              image: IMAGE,
              command: ['node', `apps/${service}/dist/migrate.mjs`],
              env: [{ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: `${databaseCluster(service)}-app`, key: 'uri' } } }],
              resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '256Mi' } },
              securityContext: containerSecurity,
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            })),
            volumes: [{ name: 'tmp', emptyDir: {} }],
          },
        },
      },
    },
    networkPolicy(name, 'migration', [], [dnsEgress, ...SERVICES.map(databaseEgress)]),
  ];
}

/** Development only: empty NATS credentials, for a NATS without authentication. */
export function developmentNatsCredentials(): Manifest[] {
  return ['gateway', ...SERVICES].map((name) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: `${name}-nats`, labels: labels(name, name === 'gateway' ? 'gateway' : 'service') },
    type: 'Opaque',
    stringData: {},
  }));
}

const HEADER =
  "# Generated by infra/build/kubernetes-manifests.ts from the contracts' SERVICES; edit that, then run\n# npm run k8s:generate -w @simpul/infra.\n";

function document(manifests: Manifest[]): string {
  return HEADER + manifests.map((m) => `---\n${stringify(m, { lineWidth: 0 })}`).join('');
}

/** Every generated file: path under infra/k8s → contents. */
export function generatedFiles(): Map<string, string> {
  const files = new Map<string, string>();
  files.set('base/gateway.yaml', document(gatewayManifests()));
  for (const service of SERVICES) files.set(`base/services/${service}.yaml`, document(serviceManifests(service)));
  files.set(
    'base/services/kustomization.yaml',
    HEADER + stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: SERVICES.map((s) => `${s}.yaml`) }),
  );
  files.set('base/migrate-job.yaml', document(migrateJobManifests()));
  files.set('overlays/development/nats-credentials.yaml', document(developmentNatsCredentials()));
  return files;
}

export const KUBERNETES_DIR = join(REPOSITORY_ROOT, 'infra', 'k8s');

async function main(): Promise<void> {
  // Services no longer in the list lose their file.
  await rm(join(KUBERNETES_DIR, 'base', 'services'), { recursive: true, force: true });
  for (const [path, contents] of generatedFiles()) {
    await mkdir(join(KUBERNETES_DIR, path, '..'), { recursive: true });
    await writeFile(join(KUBERNETES_DIR, path), contents);
    console.log(`[k8s] wrote infra/k8s/${path}`);
  }
  console.log(`[k8s] ${(await readdir(join(KUBERNETES_DIR, 'base', 'services'))).length - 1} services`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
