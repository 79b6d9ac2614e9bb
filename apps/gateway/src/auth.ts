import { GraphQLError } from 'graphql';
import { ErrorCode } from '@simpul/contracts';
import { bearerToken, type Principal, type TokenVerifier } from '@simpul/kit';
import type { CallerContext } from '@simpul/bus';

export interface GatewayContext extends CallerContext {
  principal: Principal | null;
}

/**
 * Verifies the caller's token once at the edge, so a forged or expired token is
 * refused before any service is asked. The token is still forwarded: each service
 * verifies it again and decides permissions itself.
 */
export async function authenticate(request: Request, verifier: TokenVerifier, clientAddress?: string): Promise<GatewayContext> {
  const from = clientAddress ? { clientAddress } : {};
  const header = request.headers.get('authorization');
  if (!header) return { principal: null, ...from };
  const token = bearerToken(header);
  if (!token) throw unauthenticated('Authorization header must be "Bearer <token>"');
  try {
    return { token, principal: await verifier.verify(token), ...from };
  } catch (error) {
    throw unauthenticated((error as Error).message);
  }
}

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.Unauthenticated, http: { status: 401, headers: { 'www-authenticate': 'Bearer' } } },
  });
}
