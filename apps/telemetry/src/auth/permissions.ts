import { TELEMETRY_OPERATOR_ROLES, TELEMETRY_READER_ROLES } from '@simpul/contracts';
import { requireRole, type Principal } from '@simpul/kit';

/**
 * Who may see telemetry: OPERATOR (runs the platform day to day), NATIONAL_ADMIN and
 * AUDITOR read everything; nobody else gets any of it, whatever their agency. Replaying
 * or discarding a dead letter changes the platform, so AUDITOR may not.
 */
export function requireTelemetryReader(principal: Principal | null): Principal {
  return requireRole(principal, ...TELEMETRY_READER_ROLES);
}

export function requireTelemetryOperator(principal: Principal | null): Principal {
  return requireRole(principal, ...TELEMETRY_OPERATOR_ROLES);
}
