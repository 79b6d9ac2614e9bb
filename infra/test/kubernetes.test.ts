import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parseAllDocuments } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { SERVICES } from '@simpul/contracts';
import { KUBERNETES_DIR, databaseCluster, generatedFiles } from '../build/kubernetes-manifests.ts';
import { renderKustomization, type K8sObject } from './kustomize.ts';

/**
 * infra/k8s, rendered and validated offline. The overlays are rendered by a small
 * kustomize (test/kustomize.ts) and, where `kubectl` is installed, also by the kustomize
 * that kubectl embeds, and both must agree. Every object is validated against the
 * Kubernetes API's JSON schemas (kubernetes-models); CloudNativePG's Cluster against the
 * schema of its CRD (vendored in test/schemas), with unknown fields refused as
 * `kubectl --validate=strict` would.
 */
const OVERLAYS = ['development', 'production'] as const;
const PROCESSES = ['gateway', ...SERVICES];

// ------------------------------------------------------------------ validation

type Validator = (o: K8sObject) => string[];

async function kubernetesModelsValidator(o: K8sObject): Promise<string[]> {
  const module = (await import(`kubernetes-models/${o.apiVersion}/${o.kind}`)) as Record<string, new (data: unknown) => { validate(): void }>;
  const Model = module[o.kind];
  if (!Model) return [`no model for ${o.apiVersion} ${o.kind}`];
  try {
    new Model(o).validate();
    return [];
  } catch (error) {
    return [(error as Error).message];
  }
}

/** The CRD's structural schema, closed: a field the schema does not name is an error. */
function cnpgClusterValidator(): Validator {
  const close = (schema: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = { ...schema };
    if (out.properties && out.additionalProperties === undefined && !out['x-kubernetes-preserve-unknown-fields']) out.additionalProperties = false;
    for (const key of ['properties', 'patternProperties'] as const) {
      if (out[key]) out[key] = Object.fromEntries(Object.entries(out[key] as Record<string, Record<string, unknown>>).map(([k, v]) => [k, close(v)]));
    }
    for (const key of ['items', 'additionalProperties'] as const) {
      if (out[key] && typeof out[key] === 'object') out[key] = close(out[key] as Record<string, unknown>);
    }
    for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
      if (Array.isArray(out[key])) out[key] = (out[key] as Record<string, unknown>[]).map(close);
    }
    return out;
  };
  const schema = JSON.parse(readFileSync(join(import.meta.dirname, 'schemas/cnpg-cluster-v1.schema.json'), 'utf8')) as Record<string, unknown>;
  const properties = schema.properties as Record<string, unknown>;
  // metadata is the API server's ObjectMeta, not described by the CRD: checked apart.
  properties.metadata = { type: 'object' };
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats.default(ajv, ['date-time']);
  // OpenAPI's integer formats, which the CRD uses.
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
  // The OpenAPI extension keywords carry no validation here.
  for (const keyword of [
    'x-kubernetes-int-or-string',
    'x-kubernetes-preserve-unknown-fields',
    'x-kubernetes-list-type',
    'x-kubernetes-list-map-keys',
    'x-kubernetes-map-type',
    'x-kubernetes-validations',
  ]) {
    ajv.addKeyword(keyword);
  }
  const validate: ValidateFunction = ajv.compile(close(schema));
  return (o) => (validate(o) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`));
}

const validateCluster = cnpgClusterValidator();

async function validate(o: K8sObject): Promise<string[]> {
  if (o.apiVersion === 'postgresql.cnpg.io/v1' && o.kind === 'Cluster') return validateCluster(o);
  if (o.apiVersion.includes('.') && !o.apiVersion.includes('k8s.io')) return [`no schema for ${o.apiVersion} ${o.kind}`];
  return kubernetesModelsValidator(o);
}

// ------------------------------------------------------------------ rendering

const key = (o: K8sObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const sorted = (objects: K8sObject[]) => [...objects].sort((a, b) => key(a).localeCompare(key(b)));

function kubectlAvailable(): boolean {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function kubectlKustomize(dir: string): K8sObject[] {
  const out = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return parseAllDocuments(out)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

const rendered = new Map<string, K8sObject[]>();
beforeAll(() => {
  for (const overlay of OVERLAYS) rendered.set(overlay, renderKustomization(join(KUBERNETES_DIR, 'overlays', overlay)));
});

const objectsOf = (overlay: string) => rendered.get(overlay) as K8sObject[];
const find = (objects: K8sObject[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
// Shapes reached into below (the schemas have checked the rest).
type Container = {
  name: string;
  image: string;
  command?: string[];
  env?: { name: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  envFrom?: { secretRef?: { name: string }; configMapRef?: { name: string } }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  readinessProbe?: { httpGet?: { path: string } };
  livenessProbe?: { httpGet?: { path: string } };
  securityContext?: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean; capabilities?: { drop?: string[] } };
};
type PodSpec = { containers: Container[]; securityContext?: { runAsNonRoot?: boolean; runAsUser?: number } };
const podSpec = (o: K8sObject) => (o.spec as { template: { spec: PodSpec; metadata: { labels: Record<string, string> } } }).template.spec;
const podLabels = (o: K8sObject) => (o.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels;
type Peer = { podSelector?: { matchLabels?: Record<string, string> }; namespaceSelector?: unknown };
type Rule = { to?: Peer[]; from?: Peer[]; ports?: { port: number }[] };

/** "what:port" for each egress peer of a NetworkPolicy, e.g. "app.kubernetes.io/name=nats:4222". */
function egressTargets(policy: K8sObject): string[] {
  const rules = ((policy.spec as { egress?: Rule[] }).egress ?? []) as Rule[];
  return rules.flatMap((rule) =>
    (rule.to ?? []).flatMap((peer) =>
      (rule.ports ?? []).map(
        (p) =>
          `${Object.entries(peer.podSelector?.matchLabels ?? {})
            .map(([k, v]) => `${k}=${v}`)
            .join(',')}:${p.port}`,
      ),
    ),
  );
}

// ------------------------------------------------------------------ tests

describe('infra/k8s', () => {
  it('has the generated manifests as infra/build/kubernetes-manifests.ts writes them (run npm run k8s:generate -w @simpul/infra)', () => {
    for (const [path, contents] of generatedFiles()) {
      const file = join(KUBERNETES_DIR, path);
      expect(existsSync(file) ? readFileSync(file, 'utf8') : `(missing ${path})`, path).toBe(contents);
    }
  });

  it.skipIf(!kubectlAvailable())(
    'renders each overlay exactly as kubectl kustomize does',
    () => {
      for (const overlay of OVERLAYS) {
        expect(sorted(objectsOf(overlay)), overlay).toEqual(sorted(kubectlKustomize(join(KUBERNETES_DIR, 'overlays', overlay))));
      }
    },
    180_000,
  ); // kubectl is slow to start on a loaded machine (61 s for both overlays at a load average of 50)

  for (const overlay of OVERLAYS) {
    describe(`overlay ${overlay}`, () => {
      it('validates every object against the Kubernetes API schemas (CloudNativePG: its CRD schema)', async () => {
        const objects = objectsOf(overlay);
        expect(objects.length).toBeGreaterThan(30);
        const problems: string[] = [];
        for (const o of objects) for (const p of await validate(o)) problems.push(`${key(o)}: ${p}`);
        expect(problems).toEqual([]);
      });

      it('runs the gateway and every service of the contracts as a Deployment with probes, resources, non-root security, a disruption budget and an autoscaler', () => {
        const objects = objectsOf(overlay);
        for (const name of PROCESSES) {
          const deployment = find(objects, 'Deployment', name);
          expect(deployment, `Deployment ${name}`).toBeDefined();
          const pod = podSpec(deployment!);
          const [container] = pod.containers;
          expect(container?.command, name).toEqual(['node', `apps/${name}/dist/main.mjs`]);
          expect(container?.image, name).toMatch(overlay === 'production' ? /^registry\.example\.go\.id\/simpul\/platform:\d/ : /^simpul-platform:local$/);
          expect(container?.readinessProbe?.httpGet?.path, name).toBe('/ready');
          expect(container?.livenessProbe?.httpGet?.path, name).toBe('/health');
          expect(Object.keys(container?.resources?.requests ?? {}).sort(), name).toEqual(['cpu', 'memory']);
          expect(container?.resources?.limits?.memory, name).toBeDefined();
          expect(pod.securityContext?.runAsNonRoot, name).toBe(true);
          expect(pod.securityContext?.runAsUser, name).toBeGreaterThan(0);
          expect(container?.securityContext, name).toMatchObject({
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ['ALL'] },
          });
          // NATS credentials come from a Secret per process, whatever scheme fills it.
          expect(container?.envFrom?.map((e) => e.secretRef?.name).filter(Boolean), name).toEqual([`${name}-nats`]);

          const budget = find(objects, 'PodDisruptionBudget', name);
          const budgetSelector = (budget?.spec as { selector?: { matchLabels?: Record<string, string> } } | undefined)?.selector?.matchLabels ?? {};
          expect(Object.keys(budgetSelector).length, `PodDisruptionBudget ${name}`).toBeGreaterThan(0);
          expect(podLabels(deployment!), `PodDisruptionBudget ${name} selects its pods`).toMatchObject(budgetSelector);
          const autoscaler = find(objects, 'HorizontalPodAutoscaler', name);
          expect((autoscaler?.spec as { scaleTargetRef?: unknown } | undefined)?.scaleTargetRef, `HorizontalPodAutoscaler ${name}`).toEqual({
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name,
          });
        }
      });

      it('lets each service reach only NATS, its own database and (with its spans) the telemetry service, and its database admit only it (and the migrations)', () => {
        const objects = objectsOf(overlay);
        expect(find(objects, 'NetworkPolicy', 'default-deny-ingress')?.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
        for (const service of SERVICES) {
          const policy = find(objects, 'NetworkPolicy', service);
          expect((policy?.spec as { policyTypes?: string[] } | undefined)?.policyTypes, service).toEqual(['Ingress', 'Egress']);
          expect(egressTargets(policy!).sort(), service).toEqual(
            [
              `cnpg.io/cluster=${databaseCluster(service)}:5432`,
              'app.kubernetes.io/name=nats:4222',
              'k8s-app=kube-dns:53',
              'k8s-app=kube-dns:53',
              ...(service === 'telemetry' ? [] : ['app.kubernetes.io/name=telemetry:4318']),
            ].sort(),
          );
          const database = find(objects, 'NetworkPolicy', databaseCluster(service));
          const admitted = ((database?.spec as { ingress?: Rule[] } | undefined)?.ingress ?? [])
            .filter((r) => r.ports?.some((p) => p.port === 5432))
            .flatMap((r) => (r.from ?? []).map((peer) => JSON.stringify(peer.podSelector?.matchLabels ?? peer.namespaceSelector)));
          expect(admitted.sort(), databaseCluster(service)).toEqual(
            [
              JSON.stringify({ 'app.kubernetes.io/name': service }),
              JSON.stringify({ 'app.kubernetes.io/name': 'migrate' }),
              JSON.stringify({ 'cnpg.io/cluster': databaseCluster(service) }),
              JSON.stringify({ matchLabels: { 'kubernetes.io/metadata.name': 'cnpg-system' } }),
            ].sort(),
          );
        }
      });

      it("sends every process's spans to the telemetry service, which admits them from Simpul's pods only", () => {
        const objects = objectsOf(overlay);
        const settings = find(objects, 'ConfigMap', 'simpul-settings')?.data as Record<string, string>;
        expect(settings.SIMPUL_TELEMETRY_URL).toBe('http://telemetry:4318');
        const service = find(objects, 'Service', 'telemetry')?.spec as { selector: Record<string, string>; ports: { port: number; targetPort: string }[] };
        expect(service.ports).toEqual([expect.objectContaining({ port: 4318, targetPort: 'otlp' })]);
        const telemetry = find(objects, 'Deployment', 'telemetry')!;
        expect(podLabels(telemetry)).toMatchObject(service.selector);
        const env = Object.fromEntries((podSpec(telemetry).containers[0]?.env ?? []).map((e) => [e.name, (e as { value?: string }).value]));
        expect(env).toMatchObject({ OTLP_HOST: '0.0.0.0', OTLP_PORT: '4318', SIMPUL_TELEMETRY_URL: 'off' });
        const ingress = ((find(objects, 'NetworkPolicy', 'telemetry')?.spec as { ingress: Rule[] }).ingress ?? []).find((r) =>
          r.ports?.some((p) => p.port === 4318),
        );
        const senders = ingress?.from?.map((peer) => peer.podSelector?.matchLabels ?? {}) ?? [];
        expect(senders).toHaveLength(1);
        for (const name of PROCESSES) {
          expect(podLabels(find(objects, 'Deployment', name)!), `${name} may send spans`).toMatchObject(senders[0]!);
          if (name !== 'telemetry') expect(egressTargets(find(objects, 'NetworkPolicy', name)!), name).toContain('app.kubernetes.io/name=telemetry:4318');
        }
      });

      it('gives each service its own CloudNativePG database, migrated by one Job before it starts', () => {
        const objects = objectsOf(overlay);
        const job = find(objects, 'Job', 'simpul-migrate');
        const jobContainers = podSpec(job!).containers;
        for (const service of SERVICES) {
          const cluster = find(objects, 'Cluster', databaseCluster(service));
          expect((cluster?.spec as { bootstrap?: unknown } | undefined)?.bootstrap, service).toEqual({
            initdb: { database: `simpul_${service}`, owner: service },
          });
          const url = { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: `${databaseCluster(service)}-app`, key: 'uri' } } };
          expect(podSpec(find(objects, 'Deployment', service)!).containers[0]?.env, service).toContainEqual(url);
          const migrate = jobContainers.find((c) => c.name === service);
          expect(migrate?.command, service).toEqual(['node', `apps/${service}/dist/migrate.mjs`]);
          expect(migrate?.env, service).toContainEqual(url);
        }
        expect(jobContainers).toHaveLength(SERVICES.length);
      });

      it('runs NATS as a three-node JetStream cluster that every process connects to', () => {
        const objects = objectsOf(overlay);
        const nats = find(objects, 'StatefulSet', 'nats');
        expect((nats?.spec as { replicas?: number } | undefined)?.replicas).toBe(3);
        const config = (find(objects, 'ConfigMap', 'nats-config')?.data as { 'nats.conf': string })['nats.conf'];
        expect(config).toMatch(/jetstream \{\s+store_dir: \/data/);
        const routes = [...config.matchAll(/nats:\/\/(nats-\d)\.nats-headless:6222/g)].map((m) => m[1]);
        expect(routes).toEqual(['nats-0', 'nats-1', 'nats-2']);
        const settings = find(objects, 'ConfigMap', 'simpul-settings')?.data as Record<string, string>;
        expect(settings.NATS_URL?.split(',')).toEqual(['nats-0', 'nats-1', 'nats-2'].map((n) => `nats://${n}.nats-headless:4222`));
        expect(settings.NATS_STREAM_REPLICAS).toBe('3');
        expect(find(objects, 'PodDisruptionBudget', 'nats')?.spec).toMatchObject({ maxUnavailable: 1 });
      });
    });
  }

  it('production: three replicas and three database instances at least, NATS nodes apart, the gateway behind an Ingress', () => {
    const objects = objectsOf('production');
    for (const name of PROCESSES) {
      expect((find(objects, 'HorizontalPodAutoscaler', name)?.spec as { minReplicas: number }).minReplicas, name).toBeGreaterThanOrEqual(3);
    }
    for (const service of SERVICES) expect((find(objects, 'Cluster', databaseCluster(service))?.spec as { instances: number }).instances, service).toBe(3);
    const nats = find(objects, 'StatefulSet', 'nats')?.spec as {
      template: { spec: { affinity?: { podAntiAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: unknown[] } } } };
    };
    expect(nats.template.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution).toHaveLength(1);
    const ingress = find(objects, 'Ingress', 'gateway')?.spec as { rules: { http: { paths: { backend: { service: { name: string } } }[] } }[] };
    expect(ingress.rules[0]?.http.paths[0]?.backend.service.name).toBe('gateway');
    expect(objects.every((o) => o.kind === 'Namespace' || o.metadata.namespace === 'simpul')).toBe(true);
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]); // credentials are created out of band
  });

  it('development: NATS credentials (empty: no authentication) for every process, demo data on', () => {
    const objects = objectsOf('development');
    for (const name of PROCESSES) expect(find(objects, 'Secret', `${name}-nats`), name).toBeDefined();
    expect((find(objects, 'ConfigMap', 'simpul-settings')?.data as Record<string, string>).SIMPUL_DEMO).toBe('true');
  });

  it('catches invalid objects (the validation is not vacuous)', async () => {
    const objects = structuredClone(objectsOf('production'));
    const deployment = find(objects, 'Deployment', 'identity')!;
    (podSpec(deployment).containers[0] as unknown as { ports: unknown[] }).ports = [{ containerPort: 'eighty' }];
    expect(await validate(deployment)).toEqual([expect.stringMatching(/containerPort must be integer/)]);
    const cluster = find(objects, 'Cluster', databaseCluster('identity'))!;
    (cluster.spec as Record<string, unknown>).instance = 3; // misspelt
    expect(await validate(cluster)).toEqual([expect.stringMatching(/\/spec must NOT have additional properties.*"additionalProperty":"instance"/)]);
    expect(await validate({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toEqual(['no schema for example.com/v1 Widget']);
  });
});
