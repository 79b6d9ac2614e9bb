import { parse, validate, type DocumentNode, type GraphQLError, type GraphQLSchema } from 'graphql';

type Entry = { document: DocumentNode; errors?: undefined } | { document?: undefined; errors: readonly GraphQLError[] };

/**
 * Parsed and validated documents by query text. The gateway sends the same few
 * subqueries over and over; parsing and validating each once is most of the win
 * of a responder that executes a cached document (see DEPENDENCIES.md).
 */
export class DocumentCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly maxEntries = 1_000,
  ) {}

  get(query: string): Entry {
    const hit = this.entries.get(query);
    if (hit) {
      // Refresh recency: Map iteration order is insertion order.
      this.entries.delete(query);
      this.entries.set(query, hit);
      return hit;
    }
    const entry = this.compile(query);
    this.entries.set(query, entry);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return entry;
  }

  private compile(query: string): Entry {
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: 10_000 });
    } catch (error) {
      return { errors: [error as GraphQLError] };
    }
    const errors = validate(this.schema, document);
    return errors.length > 0 ? { errors } : { document };
  }
}
