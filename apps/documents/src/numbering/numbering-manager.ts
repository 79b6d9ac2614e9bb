import { forbidden, requirePrincipal, type Principal } from '@simpul/kit';
import type { NumberingStore } from './numbering-store.ts';
import { validateNumberFormat } from './number-format.ts';

/** Each agency's number format: set by its administrator or records officer. */
export class NumberingManager {
  constructor(private readonly store: NumberingStore) {}

  async format(principal: Principal | null, agencyCode: string): Promise<string> {
    requirePrincipal(principal);
    return this.store.format(agencyCode);
  }

  async setFormat(principal: Principal | null, agencyCode: string, format: string): Promise<string> {
    const p = requirePrincipal(principal);
    const mayChange =
      p.roles.includes('NATIONAL_ADMIN') || (p.agencyCode === agencyCode && (p.roles.includes('AGENCY_ADMIN') || p.roles.includes('RECORDS_OFFICER')));
    if (!mayChange) throw forbidden("Only the agency's administrator or records officer can change its number format");
    const valid = validateNumberFormat(format);
    await this.store.setFormat(agencyCode, valid);
    return valid;
  }
}
