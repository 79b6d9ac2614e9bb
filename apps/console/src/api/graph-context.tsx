import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { GraphQLFetch } from './graphql-client.ts';
import { GraphQLRequestError } from './graphql-client.ts';
import type { Session } from './session.ts';

interface Graph {
  request: GraphQLFetch;
  session: Session;
}

const GraphContext = createContext<Graph | null>(null);

export function GraphProvider({ request, session, children }: Graph & { children: ReactNode }) {
  return <GraphContext.Provider value={{ request, session }}>{children}</GraphContext.Provider>;
}

export function useGraph(): Graph {
  const graph = useContext(GraphContext);
  if (!graph) throw new Error('useGraph outside GraphProvider');
  return graph;
}

export interface QueryState<T> {
  data: T | undefined;
  error: GraphQLRequestError | undefined;
  loading: boolean;
  reload: () => void;
}

/**
 * Runs one GraphQL query when its variables change (compared as JSON) and on reload();
 * the previous data stays on screen while a new answer is on its way.
 */
export function useGraphQuery<T>(query: string, variables: Record<string, unknown> = {}, options: { skip?: boolean } = {}): QueryState<T> {
  const { request } = useGraph();
  const [state, setState] = useState<{ data?: T; error?: GraphQLRequestError; loading: boolean }>({ loading: !options.skip });
  const [generation, setGeneration] = useState(0);
  const key = JSON.stringify(variables);
  const latest = useRef(0);
  useEffect(() => {
    if (options.skip) return;
    const run = ++latest.current;
    setState((s) => ({ ...s, loading: true }));
    request<T>(query, JSON.parse(key) as Record<string, unknown>).then(
      (data) => run === latest.current && setState({ data, loading: false }),
      (error: unknown) =>
        run === latest.current &&
        setState((s) => ({
          ...s,
          loading: false,
          error: error instanceof GraphQLRequestError ? error : new GraphQLRequestError(String(error), 'NETWORK_ERROR', undefined),
        })),
    );
  }, [request, query, key, generation, options.skip]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}
