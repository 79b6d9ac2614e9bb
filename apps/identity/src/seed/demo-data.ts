import type { Role } from '@simpul/contracts';
import { DEMO_AGENCIES } from '@simpul/contracts/demo';

export { DEMO_AGENCIES, type DemoAgency, type DemoUnit } from '@simpul/contracts/demo';

/** A few demo accounts besides the agency administrators. */
export interface DemoUser {
  username: string;
  displayName: string;
  agencyCode: string;
  unitCode: string | null;
  roles: Role[];
}

/** One administrator per agency (`admin.<code in lower case>`), plus officers of each kind. */
export const DEMO_USERS: DemoUser[] = [
  ...DEMO_AGENCIES.map((agency) => ({
    username: `admin.${agency.code.toLowerCase()}`,
    displayName: `Administrator ${agency.name}`,
    agencyCode: agency.code,
    unitCode: null,
    roles: ['AGENCY_ADMIN'] as Role[],
  })),
  { username: 'hr.banyuwangi', displayName: 'Siti Rahmawati', agencyCode: 'KAB-BANYUWANGI', unitCode: 'BKPSDM', roles: ['HR_OFFICER'] },
  { username: 'hr.bkn', displayName: 'Rudi Hermawan', agencyCode: 'BKN', unitCode: 'DEP.MUTASI', roles: ['HR_OFFICER'] },
  { username: 'arsip.banyuwangi', displayName: 'Agus Santoso', agencyCode: 'KAB-BANYUWANGI', unitCode: 'SETDA.UMUM', roles: ['RECORDS_OFFICER'] },
  { username: 'pegawai.kominfo', displayName: 'Budi Hartono', agencyCode: 'KOMINFO', unitCode: 'DIT.LAIP', roles: ['EMPLOYEE'] },
  { username: 'auditor', displayName: 'Dewi Lestari', agencyCode: 'KEMENPANRB', unitCode: 'DEP.RB', roles: ['AUDITOR'] },
  // Watches the platform in the operators' console (/console).
  { username: 'operator', displayName: 'Rina Wulandari', agencyCode: 'KEMENPANRB', unitCode: 'DEP.RB', roles: ['OPERATOR'] },
];
