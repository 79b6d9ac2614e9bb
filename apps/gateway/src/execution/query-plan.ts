import {
  getNamedType,
  getOperationAST,
  isCompositeType,
  isObjectType,
  Kind,
  OperationTypeNode,
  visit,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type InlineFragmentNode,
  type OperationDefinitionNode,
  type SelectionNode,
  type VariableDefinitionNode,
} from 'graphql';
import type { ServiceName } from '@simpul/contracts';
import type { MergeEntry, ServiceGraph } from './service-graph.ts';

/** Aliases and variables the planner adds; a client document that uses them is left to stitching. */
export const KEY_ALIAS_PREFIX = '_gwKey_';
export const KEY_VARIABLE_PREFIX = '_gwKeys';
export const MERGE_ALIAS_PREFIX = '_gwMerge';

/** What one service is asked at one place of the operation. */
export interface Fetch {
  service: ServiceName;
  /** The service's share of the client's selections there, with the keys its merges need. */
  selections: readonly SelectionNode[];
  /** Client variables these selections use (definitions copied from the client's operation). */
  variables: readonly VariableDefinitionNode[];
  /** Lookups in other services that complete the objects this fetch returns. */
  merges: readonly MergeStep[];
}

/** The root fields one service answers. */
export interface RootFetch extends Fetch {
  /** The request sent, built once. */
  document: DocumentNode;
  responseKeys: readonly string[];
}

/** A batched lookup of a merged type's fields in another service, by key. */
export interface MergeStep extends Fetch {
  /** Unique within the plan; names the step in a request (`_gwMerge3`). */
  id: number;
  typeName: string;
  entry: MergeEntry;
  /** Response keys from the objects of the parent fetch down to the objects this step completes. */
  path: readonly string[];
  /** Response keys of the fields this step adds to each object (where a refusal is reported). */
  responseKeys: readonly string[];
}

export interface QueryPlan {
  operation: 'query' | 'mutation';
  /** Queries: sent together. Mutations: sent in this order, each after the previous answered. */
  roots: readonly RootFetch[];
  /** The client's operation, fragments inlined (the shape of the response). */
  operationNode: OperationDefinitionNode;
  rootType: GraphQLObjectType;
}

export type PlanOutcome = { plan: QueryPlan } | { unsupported: string };

class Unsupported extends Error {}

/**
 * Plans an operation once: which service answers which root fields, which merged
 * types need which keys, which fields each lookup asks. The result is cached per
 * document and schema version by the caller; executing it needs no planning, no
 * printing and no validation.
 *
 * Anything the planner does not know how to do exactly (subscriptions, introspection,
 * type conditions on abstract types, keys that only a third service holds) is
 * reported as unsupported, and the operation goes through plain stitching instead.
 */
export function planOperation(schema: GraphQLSchema, graph: ServiceGraph, document: DocumentNode, operationName?: string | null): PlanOutcome {
  try {
    return { plan: new Planner(schema, graph, document, operationName).plan() };
  } catch (error) {
    if (error instanceof Unsupported) return { unsupported: error.message };
    throw error;
  }
}

class Planner {
  private readonly fragments = new Map<string, FragmentDefinitionNode>();
  private readonly operationNode: OperationDefinitionNode;
  private readonly variableDefinitions = new Map<string, VariableDefinitionNode>();
  private nextStepId = 0;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly graph: ServiceGraph,
    document: DocumentNode,
    operationName?: string | null,
  ) {
    const operation = getOperationAST(document, operationName);
    if (!operation) throw new Unsupported('no operation');
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) this.fragments.set(definition.name.value, definition);
    }
    for (const v of operation.variableDefinitions ?? []) {
      if (v.variable.name.value.startsWith(KEY_VARIABLE_PREFIX)) throw new Unsupported('reserved variable name');
      this.variableDefinitions.set(v.variable.name.value, v);
    }
    this.operationNode = { ...operation, selectionSet: { ...operation.selectionSet, selections: this.inline(operation.selectionSet.selections) } };
  }

  plan(): QueryPlan {
    const { operation } = this.operationNode;
    if (operation === OperationTypeNode.SUBSCRIPTION) throw new Unsupported('subscription');
    const rootType = operation === OperationTypeNode.MUTATION ? this.schema.getMutationType() : this.schema.getQueryType();
    if (!rootType) throw new Unsupported('no root type');
    const selections = this.operationNode.selectionSet.selections;
    const groups: { service: ServiceName; selections: SelectionNode[] }[] = [];
    if (operation === OperationTypeNode.MUTATION) {
      // Serial: consecutive root fields of one service go in one request, in order.
      for (const selection of selections) {
        if (selection.kind !== Kind.FIELD) throw new Unsupported('fragment at the root of a mutation');
        if (selection.name.value === '__typename') continue;
        const service = this.rootOwner('mutation', selection);
        const last = groups[groups.length - 1];
        if (last?.service === service) last.selections.push(selection);
        else groups.push({ service, selections: [selection] });
      }
    } else {
      const byService = this.splitRoot(selections);
      for (const [service, own] of byService) groups.push({ service, selections: own });
    }
    const roots = groups.map(({ service, selections: own }) => this.rootFetch(operation, rootType, service, own));
    return { operation, roots, operationNode: this.operationNode, rootType };
  }

  private rootOwner(operation: 'query' | 'mutation', field: FieldNode): ServiceName {
    const name = field.name.value;
    if (name.startsWith('__')) throw new Unsupported('introspection');
    const owner = this.graph.rootOwner(operation, name);
    if (!owner) throw new Unsupported(`no service answers ${operation}.${name}`);
    return owner;
  }

  /** Root fields of a query by the service that owns them, keeping fragments and directives. */
  private splitRoot(selections: readonly SelectionNode[]): Map<ServiceName, SelectionNode[]> {
    const out = new Map<ServiceName, SelectionNode[]>();
    const add = (service: ServiceName, node: SelectionNode) => {
      const list = out.get(service);
      if (list) list.push(node);
      else out.set(service, [node]);
    };
    for (const selection of selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === '__typename') continue;
        add(this.rootOwner('query', selection), selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        this.checkCondition(selection, this.schema.getQueryType() as GraphQLObjectType);
        for (const [service, inner] of this.splitRoot(selection.selectionSet.selections)) {
          add(service, withSelections(selection, inner));
        }
      }
    }
    return out;
  }

  private rootFetch(operation: OperationTypeNode, rootType: GraphQLObjectType, service: ServiceName, selections: SelectionNode[]): RootFetch {
    const merges: MergeStep[] = [];
    const planned = this.planPosition(rootType, service, selections, [], merges, true);
    const variables = this.variablesUsedBy(planned);
    const document: DocumentNode = {
      kind: Kind.DOCUMENT,
      definitions: [
        {
          kind: Kind.OPERATION_DEFINITION,
          operation,
          ...(this.operationNode.name ? { name: this.operationNode.name } : {}),
          variableDefinitions: variables,
          selectionSet: { kind: Kind.SELECTION_SET, selections: planned },
        },
      ],
    };
    return { service, selections: planned, variables, merges, document, responseKeys: responseKeysOf(selections) };
  }

  /**
   * The selections `service` is asked for at one place (objects of `type` it returns),
   * rewritten recursively: fields it does not have go to merge steps, and the keys
   * those steps need are added. `path` leads from the fetch's objects to here.
   */
  private planPosition(
    type: GraphQLObjectType,
    service: ServiceName,
    selections: readonly SelectionNode[],
    path: readonly string[],
    merges: MergeStep[],
    root = false,
  ): SelectionNode[] {
    const others = new Map<ServiceName, SelectionNode[]>();
    const own = root ? [...selections] : this.split(type, service, selections, others);
    const planned = this.rewriteOwn(type, service, own, path, merges);
    const keyFields = new Set<string>();
    for (const [target, targetSelections] of others) {
      const entry = this.graph.mergeEntry(type.name, target) as MergeEntry;
      for (const field of entry.keyFields) keyFields.add(field);
      const childMerges: MergeStep[] = [];
      const mergeSelections = this.planPosition(type, target, targetSelections, [], childMerges);
      merges.push({
        id: this.nextStepId++,
        service: target,
        typeName: type.name,
        entry,
        path,
        selections: mergeSelections,
        variables: this.variablesUsedBy(mergeSelections),
        merges: childMerges,
        responseKeys: responseKeysOf(targetSelections),
      });
    }
    for (const field of keyFields) planned.push(keyField(field));
    if (planned.length === 0) planned.push(typenameField());
    return planned;
  }

  /** Splits selections into the ones `service` answers and the ones other services add (by service). */
  private split(
    type: GraphQLObjectType,
    service: ServiceName,
    selections: readonly SelectionNode[],
    others: Map<ServiceName, SelectionNode[]>,
  ): SelectionNode[] {
    const own: SelectionNode[] = [];
    for (const selection of selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name === '__typename') continue; // answered by the gateway: it knows the type
        if (name.startsWith('__')) throw new Unsupported('introspection');
        if (this.graph.provides(service, type.name, name)) {
          own.push(selection);
          continue;
        }
        const target = this.mergeTarget(type, service, name, others);
        const list = others.get(target);
        if (list) list.push(selection);
        else others.set(target, [selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        this.checkCondition(selection, type);
        const inner = new Map<ServiceName, SelectionNode[]>();
        const innerOwn = this.split(type, service, selection.selectionSet.selections, inner);
        if (innerOwn.length) own.push(withSelections(selection, innerOwn));
        for (const [target, list] of inner) {
          const existing = others.get(target);
          const node = withSelections(selection, list);
          if (existing) existing.push(node);
          else others.set(target, [node]);
        }
      }
    }
    return own;
  }

  /** The service to ask for a field `service` does not have: one already asked here, else the first that can be. */
  private mergeTarget(type: GraphQLObjectType, service: ServiceName, fieldName: string, chosen: Map<ServiceName, SelectionNode[]>): ServiceName {
    const candidates = this.graph.services.filter((s) => {
      if (s === service || !this.graph.provides(s, type.name, fieldName)) return false;
      const entry = this.graph.mergeEntry(type.name, s);
      return entry !== undefined && entry.keyFields.every((k) => this.graph.provides(service, type.name, k));
    });
    const target = candidates.find((s) => chosen.has(s)) ?? candidates[0];
    if (!target) throw new Unsupported(`${type.name}.${fieldName} cannot be reached from ${service}`);
    return target;
  }

  private rewriteOwn(
    type: GraphQLObjectType,
    service: ServiceName,
    selections: readonly SelectionNode[],
    path: readonly string[],
    merges: MergeStep[],
  ): SelectionNode[] {
    return selections.map((selection) => {
      if (selection.kind === Kind.INLINE_FRAGMENT)
        return withSelections(selection, this.rewriteOwn(type, service, selection.selectionSet.selections, path, merges));
      if (selection.kind !== Kind.FIELD || !selection.selectionSet) return selection;
      const field = type.getFields()[selection.name.value];
      const named = field && getNamedType(field.type);
      if (!named || !isCompositeType(named)) throw new Unsupported(`unknown field ${type.name}.${selection.name.value}`);
      if (!isObjectType(named)) throw new Unsupported('abstract type');
      const key = selection.alias?.value ?? selection.name.value;
      const inner = this.planPosition(named, service, selection.selectionSet.selections, [...path, key], merges);
      return { ...selection, selectionSet: { kind: Kind.SELECTION_SET, selections: inner } };
    });
  }

  /** Fragment spreads become inline fragments; type conditions must name the object type itself. */
  private inline(selections: readonly SelectionNode[], seen: ReadonlySet<string> = new Set()): SelectionNode[] {
    return selections.map((selection): SelectionNode => {
      this.checkDirectives(selection.directives);
      if (selection.kind === Kind.FIELD) {
        const alias = selection.alias?.value;
        if (alias && (alias.startsWith(KEY_ALIAS_PREFIX) || alias.startsWith(MERGE_ALIAS_PREFIX))) throw new Unsupported('reserved alias');
        if (!selection.selectionSet) return selection;
        return { ...selection, selectionSet: { ...selection.selectionSet, selections: this.inline(selection.selectionSet.selections, seen) } };
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        return withSelections(selection, this.inline(selection.selectionSet.selections, seen));
      }
      const name = selection.name.value;
      const fragment = this.fragments.get(name);
      if (!fragment || seen.has(name)) throw new Unsupported('unknown or cyclic fragment');
      const inlined: InlineFragmentNode = {
        kind: Kind.INLINE_FRAGMENT,
        typeCondition: fragment.typeCondition,
        ...(selection.directives?.length ? { directives: selection.directives } : {}),
        selectionSet: { kind: Kind.SELECTION_SET, selections: this.inline(fragment.selectionSet.selections, new Set([...seen, name])) },
      };
      return inlined;
    });
  }

  /** The services have no interfaces or unions: a fragment applies to the object type itself, or the planner steps aside. */
  private checkCondition(fragment: InlineFragmentNode, type: GraphQLObjectType): void {
    if (fragment.typeCondition && fragment.typeCondition.name.value !== type.name) throw new Unsupported('type condition on another type');
  }

  private checkDirectives(directives: readonly DirectiveNode[] | undefined): void {
    for (const d of directives ?? []) {
      if (d.name.value !== 'skip' && d.name.value !== 'include') throw new Unsupported(`directive @${d.name.value}`);
    }
  }

  private variablesUsedBy(selections: readonly SelectionNode[]): VariableDefinitionNode[] {
    const names = new Set<string>();
    for (const selection of selections) {
      visit(selection, {
        [Kind.VARIABLE](node) {
          names.add(node.name.value);
        },
      });
    }
    return [...names].map((name) => {
      const definition = this.variableDefinitions.get(name);
      if (!definition) throw new Unsupported(`undefined variable $${name}`);
      return definition;
    });
  }
}

/** Top-level response keys of selections, through inline fragments, first occurrence first. */
function responseKeysOf(selections: readonly SelectionNode[], into: string[] = []): string[] {
  for (const s of selections) {
    if (s.kind === Kind.FIELD) {
      const key = s.alias?.value ?? s.name.value;
      if (!into.includes(key)) into.push(key);
    } else if (s.kind === Kind.INLINE_FRAGMENT) responseKeysOf(s.selectionSet.selections, into);
  }
  return into;
}

function withSelections(fragment: InlineFragmentNode, selections: readonly SelectionNode[]): InlineFragmentNode {
  return { ...fragment, selectionSet: { kind: Kind.SELECTION_SET, selections } };
}

function keyField(name: string): FieldNode {
  return { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: KEY_ALIAS_PREFIX + name }, name: { kind: Kind.NAME, value: name } };
}

function typenameField(): FieldNode {
  return { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };
}
