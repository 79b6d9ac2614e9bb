import {
  getOperationAST,
  Kind,
  visit,
  type ASTNode,
  type DocumentNode,
  type FieldNode,
  type OperationDefinitionNode,
  type SelectionNode,
  type VariableDefinitionNode,
} from 'graphql';

/** Identity's mutations that hand out session tokens, and those that take a refresh token. */
const ISSUING = new Set(['login', 'refreshSession']);
const TAKING_REFRESH_TOKEN = new Set(['refreshSession', 'logout']);
const ENDING = new Set(['logout', 'logoutEverywhere']);

/** Response keys the gateway adds to read the tokens; never shown to the client. */
export const HIDDEN = {
  token: 'simpulCookie_token',
  expiresAt: 'simpulCookie_expiresAt',
  refreshToken: 'simpulCookie_refreshToken',
  sessionExpiresAt: 'simpulCookie_sessionExpiresAt',
} as const;
const REFRESH_VARIABLE = 'simpulCookie_refreshToken';

export interface SessionOperation {
  /** The rewritten document: token fields selected under hidden keys, refresh tokens from the cookie. */
  document: DocumentNode;
  /** Response keys of root fields that issue tokens (login, refreshSession). */
  issuing: string[];
  /** True when the operation ends a session (logout, logoutEverywhere). */
  ending: boolean;
  /** Variables to add (the refresh token from the cookie), if any. */
  variables: Record<string, unknown>;
}

/**
 * For a cookie-mode request: the operation rewritten so that the gateway sees the tokens
 * whether or not the client selected them, and so that `refreshSession` and `logout`
 * take the refresh token from the cookie (which the page cannot read) instead of the
 * argument. Undefined when the operation is not a mutation with a session field.
 */
export function rewriteSessionOperation(
  document: DocumentNode,
  operationName: string | null | undefined,
  refreshCookie: string | undefined,
): SessionOperation | undefined {
  const operation = getOperationAST(document, operationName ?? undefined);
  if (operation?.operation !== 'mutation') return undefined;
  const issuing: string[] = [];
  let ending = false;
  let usesCookie = false;
  const selections = operation.selectionSet.selections.map((selection): SelectionNode => {
    if (selection.kind !== Kind.FIELD) return selection;
    const name = selection.name.value;
    let field: FieldNode = selection;
    if (ENDING.has(name)) ending = true;
    if (TAKING_REFRESH_TOKEN.has(name) && refreshCookie !== undefined) {
      usesCookie = true;
      field = { ...field, arguments: [...(field.arguments ?? []).filter((a) => a.name.value !== 'refreshToken'), refreshArgument()] };
    }
    if (ISSUING.has(name)) {
      issuing.push(field.alias?.value ?? name);
      field = { ...field, selectionSet: { kind: Kind.SELECTION_SET, selections: [...(field.selectionSet?.selections ?? []), ...hiddenFields()] } };
    }
    return field;
  });
  if (issuing.length === 0 && !ending && !usesCookie) return undefined;
  const selectionSet = { ...operation.selectionSet, selections };
  // A variable the client passed the refresh token in (or left out, as it cannot read the
  // cookie) is no longer used: its definition goes, or execution would demand its value.
  const used = usedVariables([selectionSet, ...document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION)]);
  const rewritten: OperationDefinitionNode = {
    ...operation,
    variableDefinitions: [...(operation.variableDefinitions ?? []).filter((d) => used.has(d.variable.name.value)), ...(usesCookie ? [refreshVariable()] : [])],
    selectionSet,
  };
  return {
    document: { ...document, definitions: document.definitions.map((d) => (d === operation ? rewritten : d)) },
    issuing,
    ending,
    variables: usesCookie ? { [REFRESH_VARIABLE]: refreshCookie } : {},
  };
}

function usedVariables(nodes: readonly ASTNode[]): Set<string> {
  const names = new Set<string>();
  for (const node of nodes) {
    visit(node, {
      Variable(variable) {
        names.add(variable.name.value);
      },
    });
  }
  return names;
}

function hiddenFields(): FieldNode[] {
  return Object.entries(HIDDEN).map(([field, alias]) => ({
    kind: Kind.FIELD,
    alias: { kind: Kind.NAME, value: alias },
    name: { kind: Kind.NAME, value: field },
  }));
}

function refreshArgument() {
  return {
    kind: Kind.ARGUMENT,
    name: { kind: Kind.NAME, value: 'refreshToken' },
    value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: REFRESH_VARIABLE } },
  } as const;
}

function refreshVariable(): VariableDefinitionNode {
  return {
    kind: Kind.VARIABLE_DEFINITION,
    variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: REFRESH_VARIABLE } },
    type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'String' } } },
  };
}
