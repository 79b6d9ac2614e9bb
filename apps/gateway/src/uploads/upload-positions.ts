import {
  getNullableType,
  getOperationAST,
  isInputObjectType,
  isListType,
  isScalarType,
  typeFromAST,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { UPLOAD_SCALAR } from '@simpul/contracts';

/**
 * Where a multipart request put a file must be a place the operation takes an
 * `Upload`: a variable the operation declares as `Upload` (or a list of them, or an
 * input object field of that type). A file anywhere else would be stored for nothing,
 * so it is refused before anything is stored. `path` is the file's place inside
 * `variables`, e.g. `['input', 'files', '0']`; the answer is null when the place takes
 * an Upload, and otherwise what is wrong with it.
 */
export function uploadPositionProblem(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  path: readonly string[],
): string | null {
  const operation = getOperationAST(document, operationName);
  const [variable, ...rest] = path;
  const definition = operation?.variableDefinitions?.find((d) => d.variable.name.value === variable);
  if (!definition) return `the operation declares no variable $${variable}`;
  let type: GraphQLInputType | undefined = typeFromAST(schema, definition.type) as GraphQLInputType | undefined;
  for (const key of rest) {
    const nullable = type && getNullableType(type);
    if (isListType(nullable) && /^\d+$/.test(key)) type = nullable.ofType as GraphQLInputType;
    else if (isInputObjectType(nullable) && nullable.getFields()[key]) type = nullable.getFields()[key]!.type;
    else return `$${variable} has no ${key} that takes a file`;
  }
  const named = type && getNullableType(type);
  if (!isScalarType(named) || named.name !== UPLOAD_SCALAR) {
    return `$${variable}${rest.map((k) => `.${k}`).join('')} is ${type ? String(type) : 'unknown'}, not ${UPLOAD_SCALAR}`;
  }
  return null;
}
