import {
  GraphQLError,
  getNamedType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  locatedError,
  type DirectiveNode,
  type FieldNode,
  type GraphQLFormattedError,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type OperationDefinitionNode,
  type SelectionNode,
  type ValueNode,
} from 'graphql';
import { failuresAt, type Failure, type RawObject } from './failures.ts';

/** One response key of an object in the client's selection, after fragments and @skip/@include. */
interface FieldShape {
  responseKey: string;
  fieldName: string;
  parentTypeName: string;
  nodes: FieldNode[];
  type: GraphQLOutputType;
  /** For object-typed fields: the shape of the objects. */
  object?: ObjectShape;
  /** List items and leaves that can be passed on as the service sent them. */
  leaf: boolean;
}

interface ObjectShape {
  typeName: string;
  fields: FieldShape[];
}

type Path = { prev: Path | undefined; key: string | number } | undefined;

/**
 * Builds the client's response from the assembled service answers, in the client's
 * field order, with graphql-js's completion rules: `__typename` from the type, a null
 * in a non-null field nulls the nearest nullable ancestor with one error, service
 * errors are reported at the path the client sees. It replaces executing the document
 * again through the stitched schema (what stitching does after delegating), which
 * costs a resolver call, a promise and a merge per field.
 *
 * The shape is compiled once per operation and per combination of @skip/@include
 * outcomes.
 */
export class ResponseShaper {
  private readonly shapes = new Map<string, ObjectShape>();
  private readonly conditions: DirectiveNode[] = [];

  constructor(
    private readonly operation: OperationDefinitionNode,
    private readonly rootType: GraphQLObjectType,
  ) {
    collectConditions(operation.selectionSet.selections, this.conditions);
  }

  shape(root: RawObject, variables: Record<string, unknown>): { data: Record<string, unknown> | null; errors: GraphQLError[] } {
    const outcomes = this.conditions.map((d) => (conditionHolds(d, variables, this.operation) ? '1' : '0')).join('');
    let shape = this.shapes.get(outcomes);
    if (!shape) {
      const included = new Map(this.conditions.map((d, i) => [d, outcomes[i] === '1']));
      shape = compileObject(this.rootType, this.operation.selectionSet.selections, included);
      this.shapes.set(outcomes, shape);
    }
    const errors: GraphQLError[] = [];
    try {
      return { data: completeObject(shape, root, undefined, errors), errors };
    } catch (error) {
      errors.push(error as GraphQLError);
      return { data: null, errors };
    }
  }
}

function completeObject(shape: ObjectShape, raw: RawObject, path: Path, errors: GraphQLError[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of shape.fields) {
    if (field.fieldName === '__typename') {
      out[field.responseKey] = shape.typeName;
      continue;
    }
    out[field.responseKey] = completeField(field, raw, field.responseKey, field.type, path, errors);
  }
  return out;
}

/** Completes the value at `container[key]` (a field of an object or an item of a list), as graphql-js would. */
function completeField(field: FieldShape, container: object, key: string | number, type: GraphQLOutputType, path: Path, errors: GraphQLError[]): unknown {
  try {
    const value = (container as Record<string | number, unknown>)[key];
    if (value === null || value === undefined) {
      const failures = failuresAt(container, key);
      if (failures) throw failureError(failures, { prev: path, key });
    }
    return completeValue(field, type, value, path, key, errors);
  } catch (error) {
    if (isNonNullType(type)) throw error;
    errors.push(error as GraphQLError);
    return null;
  }
}

function completeValue(field: FieldShape, type: GraphQLOutputType, value: unknown, parent: Path, key: string | number, errors: GraphQLError[]): unknown {
  if (isNonNullType(type)) {
    const completed = completeValue(field, type.ofType, value, parent, key, errors);
    if (completed === null) {
      throw locatedError(
        new Error(`Cannot return null for non-nullable field ${field.parentTypeName}.${field.fieldName}.`),
        field.nodes,
        pathArray({ prev: parent, key }),
      );
    }
    return completed;
  }
  if (value === null || value === undefined) return null;
  if (isListType(type)) {
    const list = value as unknown[];
    const itemType = type.ofType as GraphQLOutputType;
    // Leaves as the service sent them: the same array, unless a null breaks a non-null item type.
    if (field.leaf && (!isNonNullType(itemType) || !list.includes(null))) return list;
    const path: Path = { prev: parent, key };
    const out = new Array<unknown>(list.length);
    for (let i = 0; i < list.length; i++) out[i] = completeField(field, list, i, itemType, path, errors);
    return out;
  }
  if (field.object) return completeObject(field.object, value as RawObject, { prev: parent, key }, errors);
  return value;
}

/** A service's error, at the path the client sees (plus the part below the null, if any). */
function failureError(failures: readonly Failure[], at: Path): GraphQLError {
  const path = pathArray(at);
  const [first] = failures as [Failure];
  return relocated(first.error, [...path, ...first.tail]);
}

function relocated(error: GraphQLFormattedError, path: (string | number)[]): GraphQLError {
  return new GraphQLError(error.message, { path, ...(error.extensions ? { extensions: error.extensions } : {}) });
}

function pathArray(path: Path): (string | number)[] {
  const out: (string | number)[] = [];
  for (let p = path; p; p = p.prev) out.push(p.key);
  return out.reverse();
}

function compileObject(type: GraphQLObjectType, selections: readonly SelectionNode[], included: ReadonlyMap<DirectiveNode, boolean>): ObjectShape {
  const byKey = new Map<string, FieldNode[]>();
  collectFields(selections, included, byKey);
  const fields: FieldShape[] = [];
  const definitions = type.getFields();
  for (const [responseKey, nodes] of byKey) {
    const fieldName = (nodes[0] as FieldNode).name.value;
    if (fieldName === '__typename') {
      fields.push({ responseKey, fieldName, parentTypeName: type.name, nodes, type: type, leaf: true });
      continue;
    }
    const definition = definitions[fieldName];
    if (!definition) continue; // validated against the schema already: cannot happen
    const named = getNamedType(definition.type);
    const shape: FieldShape = { responseKey, fieldName, parentTypeName: type.name, nodes, type: definition.type, leaf: isLeafType(named) };
    if (isObjectType(named)) {
      shape.object = compileObject(
        named,
        nodes.flatMap((n) => n.selectionSet?.selections ?? []),
        included,
      );
    }
    fields.push(shape);
  }
  return { typeName: type.name, fields };
}

/** graphql-js's collectFields: response keys in first-occurrence order, fragments flattened. */
function collectFields(selections: readonly SelectionNode[], included: ReadonlyMap<DirectiveNode, boolean>, into: Map<string, FieldNode[]>): void {
  for (const selection of selections) {
    if (selection.directives && !selection.directives.every((d) => included.get(d) ?? true)) continue;
    if (selection.kind === Kind.FIELD) {
      const key = selection.alias?.value ?? selection.name.value;
      const nodes = into.get(key);
      if (nodes) nodes.push(selection);
      else into.set(key, [selection]);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      collectFields(selection.selectionSet.selections, included, into);
    }
  }
}

function collectConditions(selections: readonly SelectionNode[], into: DirectiveNode[]): void {
  for (const selection of selections) {
    for (const d of selection.directives ?? []) if (d.name.value === 'skip' || d.name.value === 'include') into.push(d);
    if (selection.kind !== Kind.FRAGMENT_SPREAD && selection.selectionSet) collectConditions(selection.selectionSet.selections, into);
  }
}

/** True when the directive lets its selection through: `@include(if: true)`, `@skip(if: false)`. */
function conditionHolds(directive: DirectiveNode, variables: Record<string, unknown>, operation: OperationDefinitionNode): boolean {
  const argument = directive.arguments?.find((a) => a.name.value === 'if');
  const value = argument ? booleanOf(argument.value, variables, operation) : false;
  return directive.name.value === 'include' ? value : !value;
}

function booleanOf(node: ValueNode, variables: Record<string, unknown>, operation: OperationDefinitionNode): boolean {
  if (node.kind === Kind.BOOLEAN) return node.value;
  if (node.kind !== Kind.VARIABLE) return false;
  const name = node.name.value;
  if (variables[name] !== undefined && variables[name] !== null) return variables[name] === true;
  const fallback = operation.variableDefinitions?.find((v) => v.variable.name.value === name)?.defaultValue;
  return fallback?.kind === Kind.BOOLEAN ? fallback.value : false;
}
