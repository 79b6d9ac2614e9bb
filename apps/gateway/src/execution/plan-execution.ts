import { Kind, OperationTypeNode, parseType, type DocumentNode, type FieldNode, type GraphQLFormattedError, type VariableDefinitionNode } from 'graphql';
import type { ServiceName } from '@simpul/contracts';
import { KEY_ALIAS_PREFIX, KEY_VARIABLE_PREFIX, MERGE_ALIAS_PREFIX, type MergeStep, type QueryPlan, type RootFetch } from './query-plan.ts';
import { markFailure, placeError, type RawObject } from './failures.ts';

/** A service's answer as it arrives over NATS: JSON, errors already formatted. */
export interface ServiceResult {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLFormattedError[];
}

/** Sends one request to one service (over NATS, with the caller's token and the trace context). */
export type SendToService = (
  service: ServiceName,
  request: { document: DocumentNode; variables: Record<string, unknown>; operationType: OperationTypeNode },
) => Promise<ServiceResult>;

/** The steps of one level that go to one service, and the request built for them (cached per plan). */
const mergeDocuments = new WeakMap<QueryPlan, Map<string, DocumentNode>>();

interface PendingStep {
  step: MergeStep;
  /** Objects the step's path starts from: the root, or the objects its parent step completed. */
  anchors: readonly RawObject[];
}

/**
 * Runs a plan: the root fetches (together for a query, in order for a mutation), then
 * level by level the merge steps, every step of one level that goes to the same service
 * in ONE request. Each step's answers are written into the objects they complete (by
 * key, in the order the lookup returns them); refusals and failures are recorded next
 * to the fields they concern, for the response shaper to report where the client sees
 * them. Resolves to the raw root object: the client's response keys plus key fields.
 */
export async function runPlan(plan: QueryPlan, variables: Record<string, unknown>, send: SendToService): Promise<RawObject> {
  const root: RawObject = {};
  let pending: PendingStep[] = [];
  const absorbRoot = (fetch: RootFetch, result: ServiceResult) => {
    absorbRootResult(root, fetch, result);
    for (const step of fetch.merges) pending.push({ step, anchors: [root] });
  };
  if (plan.operation === 'mutation') {
    for (const fetch of plan.roots) {
      const result = await send(fetch.service, { document: fetch.document, variables, operationType: OperationTypeNode.MUTATION });
      absorbRoot(fetch, result);
      // A failed non-null mutation field ends the operation (graphql-js runs no later root
      // field then): a service answers `data: null` exactly when that happened.
      if (!result.data) break;
    }
  } else {
    const results = await Promise.all(
      plan.roots.map((fetch) => send(fetch.service, { document: fetch.document, variables, operationType: OperationTypeNode.QUERY })),
    );
    plan.roots.forEach((fetch, i) => absorbRoot(fetch, results[i] as ServiceResult));
  }
  while (pending.length > 0) {
    const level = pending;
    pending = [];
    const byService = new Map<ServiceName, { step: MergeStep; targets: RawObject[]; keyIndex: number[]; keys: unknown[] }[]>();
    for (const { step, anchors } of level) {
      const batch = collectTargets(step, anchors);
      if (batch.keys.length === 0) continue;
      const list = byService.get(step.service);
      if (list) list.push({ step, ...batch });
      else byService.set(step.service, [{ step, ...batch }]);
    }
    await Promise.all(
      [...byService].map(async ([service, batches]) => {
        const requestVariables: Record<string, unknown> = {};
        for (const definition of uniqueVariables(batches.map((b) => b.step))) {
          const name = definition.variable.name.value;
          if (name in variables) requestVariables[name] = variables[name];
        }
        for (const { step, keys } of batches) {
          const args = step.entry.argsFromKeys(keys);
          for (const arg of Object.keys(args)) requestVariables[keyVariable(step, arg)] = args[arg];
        }
        const document = mergeDocument(
          plan,
          batches.map((b) => b.step),
        );
        const result = await send(service, { document, variables: requestVariables, operationType: OperationTypeNode.QUERY });
        for (const batch of batches) {
          absorbMergeResult(batch.step, batch.targets, batch.keyIndex, result);
          for (const child of batch.step.merges) pending.push({ step: child, anchors: batch.targets });
        }
      }),
    );
  }
  return root;
}

/** Root fields: their values, and each error where stitching would report it. */
function absorbRootResult(root: RawObject, fetch: RootFetch, result: ServiceResult): void {
  const data = result.data;
  if (data) for (const key of fetch.responseKeys) if (key in data) root[key] = data[key];
  const errors = result.errors ?? [];
  if (errors.length === 0) return;
  for (const key of fetch.responseKeys) {
    // Errors about this field, and errors about no field in particular (they concern every field).
    const own = errors.filter((e) => !e.path?.length || e.path[0] === key);
    if (own.length === 0) continue;
    if (root[key] === undefined || root[key] === null) {
      markFailure(
        root,
        key,
        own.map((e) => ({ error: e, tail: e.path?.slice(1) ?? [] })),
      );
    } else {
      for (const error of own) if (error.path && error.path.length > 1) placeError(root, error.path, 0, error);
    }
  }
}

/** Objects a step completes, following its path from its anchors, with the keys to look them up by (each once). */
function collectTargets(step: MergeStep, anchors: readonly RawObject[]) {
  const targets: RawObject[] = [];
  const keyIndex: number[] = [];
  const keys: unknown[] = [];
  const seen = new Map<unknown, number>();
  const keyFields = step.entry.keyFields;
  const visit = (value: unknown, depth: number): void => {
    if (value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const item of value) visit(item, depth);
      return;
    }
    const object = value as RawObject;
    if (depth < step.path.length) {
      visit(object[step.path[depth] as string], depth + 1);
      return;
    }
    const source: Record<string, unknown> = {};
    for (const field of keyFields) {
      const v = object[KEY_ALIAS_PREFIX + field];
      if (v === undefined || v === null) return; // no key, nothing to look up: the fields stay null, as in stitching
      source[field] = v;
    }
    const key = step.entry.key(source);
    if (key === undefined || key === null) return;
    const identity = typeof key === 'object' ? JSON.stringify(key) : key;
    let index = seen.get(identity);
    if (index === undefined) {
      index = keys.length;
      keys.push(key);
      seen.set(identity, index);
    }
    targets.push(object);
    keyIndex.push(index);
  };
  for (const anchor of anchors) visit(anchor, 0);
  return { targets, keyIndex, keys };
}

/** Writes a lookup's answers into the objects they complete; records refusals and failures on them. */
function absorbMergeResult(step: MergeStep, targets: readonly RawObject[], keyIndex: readonly number[], result: ServiceResult): void {
  const alias = mergeAlias(step);
  const list = result.data?.[alias];
  const errors = (result.errors ?? []).filter((e) => !e.path?.length || e.path[0] === alias);
  if (!Array.isArray(list)) {
    // The whole lookup failed (service away, or refused): every object's fields from it fail alike.
    if (errors.length === 0) return;
    const failures = errors.map((e) => ({ error: e, tail: [] }));
    for (const target of targets) for (const key of step.responseKeys) markFailure(target, key, failures);
    return;
  }
  const itemErrors = new Map<number, GraphQLFormattedError>();
  const innerErrors = new Map<number, GraphQLFormattedError[]>();
  for (const error of errors) {
    const index = error.path?.[1];
    if (typeof index !== 'number') continue;
    if (error.path!.length === 2) {
      if (!itemErrors.has(index)) itemErrors.set(index, error);
    } else {
      const inner = innerErrors.get(index);
      if (inner) inner.push(error);
      else innerErrors.set(index, [error]);
    }
  }
  for (let i = 0; i < targets.length; i++) {
    const target = targets[i] as RawObject;
    const index = keyIndex[i] as number;
    const item = list[index] as RawObject | null | undefined;
    if (item === null || item === undefined) {
      // A refused or failed item (or one nulled by a failed non-null field inside it): its
      // fields carry the error, as in stitching. A null without an error is just null.
      const error = itemErrors.get(index) ?? innerErrors.get(index)?.[0];
      if (error && !error.message.includes('Cannot return null for non-nullable field')) {
        for (const key of step.responseKeys) markFailure(target, key, [{ error, tail: [] }]);
      }
      continue;
    }
    assignFields(target, item);
    for (const error of innerErrors.get(index) ?? []) placeError(target, error.path!, 2, error);
  }
}

/** Adds a looked-up object's fields to the object it completes (nested objects merged, not replaced). */
function assignFields(target: RawObject, source: RawObject): void {
  for (const key in source) {
    const incoming = source[key];
    const existing = target[key];
    if (existing === undefined || existing === null) target[key] = incoming;
    else if (isPlainObject(existing) && isPlainObject(incoming) && existing !== incoming) assignFields(existing, incoming);
  }
}

function isPlainObject(value: unknown): value is RawObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mergeAlias(step: MergeStep): string {
  return `${MERGE_ALIAS_PREFIX}${step.id}`;
}

function keyVariable(step: MergeStep, argument: string): string {
  return `${KEY_VARIABLE_PREFIX}${step.id}_${argument}`;
}

function uniqueVariables(steps: readonly MergeStep[]): VariableDefinitionNode[] {
  const byName = new Map<string, VariableDefinitionNode>();
  for (const step of steps) for (const v of step.variables) byName.set(v.variable.name.value, v);
  return [...byName.values()];
}

/**
 * One request for the steps of one level that go to one service: each step's lookup
 * under an alias of its own, with its keys in variables. Built once per combination
 * of steps and kept with the plan.
 */
function mergeDocument(plan: QueryPlan, steps: readonly MergeStep[]): DocumentNode {
  let cache = mergeDocuments.get(plan);
  if (!cache) mergeDocuments.set(plan, (cache = new Map()));
  const cacheKey = steps.map((s) => s.id).join(',');
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  const variableDefinitions: VariableDefinitionNode[] = [...uniqueVariables(steps)];
  const selections: FieldNode[] = steps.map((step) => {
    const argumentNames = [...step.entry.argumentTypes.keys()].filter((a) => a in step.entry.argsFromKeys([]));
    for (const arg of argumentNames) {
      variableDefinitions.push({
        kind: Kind.VARIABLE_DEFINITION,
        variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: keyVariable(step, arg) } },
        type: parseType(step.entry.argumentTypes.get(arg) as string),
      });
    }
    return {
      kind: Kind.FIELD,
      alias: { kind: Kind.NAME, value: mergeAlias(step) },
      name: { kind: Kind.NAME, value: step.entry.fieldName },
      arguments: argumentNames.map((arg) => ({
        kind: Kind.ARGUMENT,
        name: { kind: Kind.NAME, value: arg },
        value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: keyVariable(step, arg) } },
      })),
      selectionSet: { kind: Kind.SELECTION_SET, selections: step.selections },
    };
  });
  const document: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [
      { kind: Kind.OPERATION_DEFINITION, operation: OperationTypeNode.QUERY, variableDefinitions, selectionSet: { kind: Kind.SELECTION_SET, selections } },
    ],
  };
  cache.set(cacheKey, document);
  return document;
}
