import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { ErrorCode, StagedUpload } from '@simpul/contracts';

/**
 * An uploaded file as the gateway hands it over: a reference to the staged object,
 * never the bytes (see contracts/uploads.ts). Anything else is refused, so a client
 * that bypasses the gateway's multipart handling gets a clear error.
 */
export const Upload = new GraphQLScalarType({
  name: 'Upload',
  description: 'A file in a GraphQL multipart request.',
  parseValue(value) {
    const parsed = StagedUpload.safeParse(value);
    if (!parsed.success) {
      throw new GraphQLError('file: send the file as a GraphQL multipart request through the gateway', {
        extensions: { code: ErrorCode.BadUserInput, field: 'file' },
      });
    }
    return parsed.data;
  },
  parseLiteral(ast) {
    throw new GraphQLError(`file: a file cannot be written inline (${ast.kind === Kind.STRING ? 'string' : ast.kind}); use a multipart request`, {
      extensions: { code: ErrorCode.BadUserInput, field: 'file' },
    });
  },
  serialize() {
    throw new GraphQLError('Upload is an input type only');
  },
});
