import type { Principal } from '@simpul/kit';
import type { TelemetryManagers } from '../telemetry.ts';

/** What every resolver gets: the verified caller and the managers. */
export interface TelemetryContext extends TelemetryManagers {
  principal: Principal | null;
}

export function createContextFactory(managers: TelemetryManagers) {
  return (principal: Principal | null): TelemetryContext => ({ ...managers, principal });
}
