import { z } from 'zod';
import { AgencyCode, UnitCode } from './agency.ts';
import { ASN_STATUSES, CalendarDate, GOLONGAN, Nip, POSITION_TYPES, PPPK_GRADES } from './employee.ts';
import { defineEvent } from './events.ts';

/** What every career event records: when it takes effect and the decree (SK) behind it. */
/** A golongan/ruang such as `III/a`, or a PPPK grade such as `IX`. */
const Rank = z.enum([...GOLONGAN, ...PPPK_GRADES]);

const decree = {
  effectiveDate: CalendarDate,
  decreeNumber: z.string().min(1),
  /** The user id of who recorded it. */
  recordedBy: z.string().min(1),
};

/** personnel: a civil servant was appointed; identity opens their account (username = NIP). */
export const EmployeeAppointed = defineEvent({
  service: 'personnel',
  entity: 'employee',
  verb: 'appointed',
  version: 1,
  data: z.object({
    nip: Nip,
    name: z.string().min(1),
    sex: z.enum(['MALE', 'FEMALE']),
    birthDate: CalendarDate,
    asnStatus: z.enum(ASN_STATUSES),
    agencyCode: AgencyCode,
    unitCode: UnitCode.nullable(),
    rank: Rank,
    positionName: z.string().min(1),
    positionType: z.enum(POSITION_TYPES),
    ...decree,
  }),
  aggregate: (employee) => employee.nip,
});

/** personnel: one rank step up (kenaikan pangkat). */
export const EmployeePromoted = defineEvent({
  service: 'personnel',
  entity: 'employee',
  verb: 'promoted',
  version: 1,
  data: z.object({
    nip: Nip,
    agencyCode: AgencyCode,
    fromRank: Rank,
    toRank: Rank,
    ...decree,
  }),
  aggregate: (employee) => employee.nip,
});

/** personnel: moved to another unit or agency (mutasi); identity moves the account, documents returns open dispositions. */
export const EmployeeTransferred = defineEvent({
  service: 'personnel',
  entity: 'employee',
  verb: 'transferred',
  version: 1,
  data: z.object({
    nip: Nip,
    fromAgencyCode: AgencyCode,
    fromUnitCode: UnitCode.nullable(),
    toAgencyCode: AgencyCode,
    toUnitCode: UnitCode.nullable(),
    ...decree,
  }),
  aggregate: (employee) => employee.nip,
});

/** personnel: retired (pensiun); identity disables the account. */
export const EmployeeRetired = defineEvent({
  service: 'personnel',
  entity: 'employee',
  verb: 'retired',
  version: 1,
  data: z.object({
    nip: Nip,
    agencyCode: AgencyCode,
    ...decree,
  }),
  aggregate: (employee) => employee.nip,
});

/** personnel: a new position (jabatan), e.g. from Ahli Pertama to Ahli Muda or into a JPT. */
export const EmployeePositionChanged = defineEvent({
  service: 'personnel',
  entity: 'employee',
  verb: 'position-changed',
  version: 1,
  data: z.object({
    nip: Nip,
    agencyCode: AgencyCode,
    fromPositionType: z.enum(POSITION_TYPES),
    positionName: z.string().min(1),
    positionType: z.enum(POSITION_TYPES),
    ...decree,
  }),
  aggregate: (employee) => employee.nip,
});

/** personnel: a CPNS passed probation and was appointed PNS (pengangkatan PNS). */
export const EmployeeConfirmed = defineEvent({
  service: 'personnel',
  entity: 'employee',
  verb: 'confirmed',
  version: 1,
  data: z.object({
    nip: Nip,
    agencyCode: AgencyCode,
    ...decree,
  }),
  aggregate: (employee) => employee.nip,
});
