import { Kind, type DocumentNode } from 'graphql';

/**
 * What to call an operation in spans and logs: its requested name, else the name
 * written in the document, else its type (`query`, `mutation`).
 */
export function operationLabel(document: DocumentNode, operationName?: string | null): string {
  if (operationName) return operationName;
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const only = operations.length === 1 ? operations[0] : undefined;
  return only?.name?.value ?? only?.operation ?? 'operation';
}
