import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/**
 * A small kustomize renderer for the subset infra/k8s uses, so the tests render the
 * overlays without the kustomize binary (not installable from npm or Debian here):
 *
 * - `resources`: YAML files (several documents each) and directories with a kustomization;
 * - `namespace`; `labels` (`pairs`, `includeTemplates`; `includeSelectors: false` only);
 * - `images` (`name`, `newName`, `newTag`);
 * - `patches` from files: strategic-merge patches (matched by kind and name, or applied to
 *   every `target`) and JSON 6902 patches (with a `target`).
 *
 * Transformers run in kustomize's order: patches, namespace, labels, images. Any other
 * field of a kustomization is refused, so the subset stays explicit. Where `kubectl
 * kustomize` exists (it embeds kustomize), the tests check that both render the same.
 */
export type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> } } & Record<
  string,
  unknown
>;

interface Target {
  kind?: string;
  name?: string;
  labelSelector?: string;
}
interface Kustomization {
  apiVersion?: string;
  kind?: string;
  resources?: string[];
  namespace?: string;
  labels?: { pairs: Record<string, string>; includeSelectors?: boolean; includeTemplates?: boolean }[];
  images?: { name: string; newName?: string; newTag?: string }[];
  patches?: { path: string; target?: Target }[];
}

const SUPPORTED = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'labels', 'images', 'patches']);
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
]);
/** Where a workload keeps its pod template. */
const POD_TEMPLATE: Record<string, string[]> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

export function renderKustomization(dir: string): K8sObject[] {
  const file = join(dir, 'kustomization.yaml');
  const k = parse(readFileSync(file, 'utf8')) as Kustomization;
  const unsupported = Object.keys(k).filter((key) => !SUPPORTED.has(key));
  if (unsupported.length > 0) throw new Error(`${file}: this renderer does not support ${unsupported.join(', ')}`);

  let objects: K8sObject[] = (k.resources ?? []).flatMap((resource) => {
    const path = join(dir, resource);
    return statSync(path).isDirectory() ? renderKustomization(path) : readObjects(path);
  });
  for (const patch of k.patches ?? []) objects = applyPatch(objects, join(dir, patch.path), patch.target);
  if (k.namespace) {
    for (const o of objects) if (!CLUSTER_SCOPED.has(o.kind)) o.metadata.namespace = k.namespace;
  }
  for (const label of k.labels ?? []) {
    if (label.includeSelectors) throw new Error(`${file}: labels with includeSelectors are not supported`);
    for (const o of objects) {
      o.metadata.labels = { ...o.metadata.labels, ...label.pairs };
      const at = POD_TEMPLATE[o.kind];
      if (label.includeTemplates && at) {
        const template = dig(o, at) as { metadata?: { labels?: Record<string, string> } } | undefined;
        if (template) template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, ...label.pairs } };
        // A StatefulSet's volume claims are templates too.
        for (const claim of (dig(o, ['spec', 'volumeClaimTemplates']) as { metadata?: { labels?: Record<string, string> } }[] | undefined) ?? []) {
          claim.metadata = { ...claim.metadata, labels: { ...claim.metadata?.labels, ...label.pairs } };
        }
      }
    }
  }
  for (const image of k.images ?? []) for (const o of objects) replaceImage(o, image);
  return objects;
}

function readObjects(path: string): K8sObject[] {
  return parseAllDocuments(readFileSync(path, 'utf8'))
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

function dig(o: unknown, path: string[]): unknown {
  return path.reduce<unknown>((at, key) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined), o);
}

function matches(o: K8sObject, target: Target): boolean {
  if (target.kind && o.kind !== target.kind) return false;
  if (target.name && !new RegExp(`^(?:${target.name})$`).test(o.metadata.name)) return false;
  if (target.labelSelector) {
    for (const term of target.labelSelector.split(',')) {
      const [key, value] = term.split('=').map((s) => s.trim());
      if (o.metadata.labels?.[key as string] !== value) return false;
    }
  }
  return true;
}

function applyPatch(objects: K8sObject[], path: string, target: Target | undefined): K8sObject[] {
  if (!existsSync(path)) throw new Error(`patch ${path} does not exist`);
  const patch = parse(readFileSync(path, 'utf8')) as unknown;
  if (Array.isArray(patch)) {
    if (!target) throw new Error(`${path}: a JSON 6902 patch needs a target`);
    const hits = objects.filter((o) => matches(o, target));
    if (hits.length === 0) throw new Error(`${path}: no resource matches ${JSON.stringify(target)}`);
    for (const o of hits) applyJsonPatch(o, patch as JsonOperation[], path);
    return objects;
  }
  const smp = patch as K8sObject;
  const select = target ?? { kind: smp.kind, name: smp.metadata.name };
  let hit = false;
  const result = objects.map((o) => {
    if (!matches(o, select)) return o;
    hit = true;
    // With a target, the patch's own name and kind do not rename what it patches.
    const { metadata, ...rest } = smp;
    const { name: _name, ...otherMetadata } = metadata;
    return strategicMerge(o, { ...rest, kind: o.kind, apiVersion: o.apiVersion, metadata: otherMetadata }) as K8sObject;
  });
  if (!hit) throw new Error(`${path}: no resource matches ${JSON.stringify(select)}`);
  return result;
}

/** Maps merge key by key (null deletes); lists of named items merge by name; other lists are replaced. */
function strategicMerge(base: unknown, patch: unknown): unknown {
  if (Array.isArray(patch)) {
    const named = (list: unknown[]) => list.every((i) => i && typeof i === 'object' && typeof (i as { name?: unknown }).name === 'string');
    if (!Array.isArray(base) || !named(base) || !named(patch)) return structuredClone(patch);
    const merged = [...base] as { name: string }[];
    for (const item of patch as { name: string }[]) {
      const at = merged.findIndex((b) => b.name === item.name);
      if (at < 0) merged.push(structuredClone(item));
      else merged[at] = strategicMerge(merged[at], item) as { name: string };
    }
    return merged;
  }
  if (patch === null || typeof patch !== 'object') return patch;
  const result: Record<string, unknown> = { ...((base && typeof base === 'object' && !Array.isArray(base) ? base : {}) as Record<string, unknown>) };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = strategicMerge(result[key], value);
  }
  return result;
}

type JsonOperation = { op: 'add' | 'replace' | 'remove'; path: string; value?: unknown };

function applyJsonPatch(o: K8sObject, operations: JsonOperation[], file: string): void {
  for (const { op, path, value } of operations) {
    const keys = path
      .split('/')
      .slice(1)
      .map((k) => k.replaceAll('~1', '/').replaceAll('~0', '~'));
    const last = keys.pop() as string;
    const parent = dig(o, keys) as Record<string, unknown> | unknown[] | undefined;
    if (!parent || typeof parent !== 'object') throw new Error(`${file}: ${op} ${path}: no parent in ${o.kind}/${o.metadata.name}`);
    if (Array.isArray(parent)) {
      const index = last === '-' ? parent.length : Number(last);
      if (op === 'add') parent.splice(index, 0, structuredClone(value));
      else if (op === 'replace') parent[index] = structuredClone(value);
      else parent.splice(index, 1);
    } else if (op === 'remove') {
      delete parent[last];
    } else {
      if (op === 'replace' && !(last in parent)) throw new Error(`${file}: replace ${path}: nothing there in ${o.kind}/${o.metadata.name}`);
      parent[last] = structuredClone(value);
    }
  }
}

function replaceImage(o: K8sObject, image: { name: string; newName?: string; newTag?: string }): void {
  const at = POD_TEMPLATE[o.kind];
  const spec = at ? (dig(o, [...at, 'spec']) as { containers?: { image?: string }[]; initContainers?: { image?: string }[] } | undefined) : undefined;
  for (const container of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) {
    const current = container.image ?? '';
    const [name, tag] = current.includes('@') ? [current, undefined] : splitImage(current);
    if (name !== image.name) continue;
    container.image = `${image.newName ?? name}${image.newTag ? `:${image.newTag}` : tag ? `:${tag}` : ''}`;
  }
}

function splitImage(image: string): [string, string | undefined] {
  const colon = image.lastIndexOf(':');
  return colon > image.lastIndexOf('/') ? [image.slice(0, colon), image.slice(colon + 1)] : [image, undefined];
}
