import { z } from 'zod';
import { AgencyCode, UnitCode } from './agency.ts';
import { ASN_STATUSES, CalendarDate, GOLONGAN, Nip, POSITION_TYPES, PPPK_GRADES } from './employee.ts';

/**
 * Agency event types the platform defines itself and its own services act on. Any
 * agency may publish them for itself, on the usual subjects (`<ns>.ext.<agency>.<name>`
 * or `POST /events/<name>`); no agency declares them, and none may declare a type of
 * the same name. They live here, not in the registry's catalogue table, because the
 * registry's gate (which validates them) and the consuming service (which parses them
 * again) need the same schema, and because they exist for every agency, including
 * those created after the platform started, without a catalogue row per agency.
 *
 * Each accepted event is stored like any other, with the publishing agency as owner:
 * `<ns>.agency.<publisher>.v<version>.<name>`.
 */
export interface PlatformAgencyEventType<S extends z.ZodObject = z.ZodObject> {
  name: string;
  version: number;
  description: string;
  data: S;
  /** 'platform': Simpul publishes it itself (for the agency it concerns); an agency system may not. */
  publishedBy?: 'agency' | 'platform';
}

/**
 * SIMPEG (a regional personnel system) appoints a civil servant of its own agency.
 * Personnel applies it as the GraphQL mutation `appointEmployee`, acting as the
 * publishing agency's system (so only within that agency), and identity then opens
 * the account. Field names are the mutation's.
 */
export const SimpegAppointment = {
  name: 'simpeg.pengangkatan',
  version: 1,
  description: 'SIMPEG instansi mengangkat seorang ASN di instansinya sendiri (pengangkatan CPNS/PNS/PPPK).',
  data: z
    .object({
      nip: Nip,
      name: z.string().min(1).max(200),
      /** The appointing agency: the publisher's own (anything else is refused by personnel). */
      agencyCode: AgencyCode,
      unitCode: UnitCode.nullable().optional(),
      asnStatus: z.enum(ASN_STATUSES).optional(),
      rank: z.enum([...GOLONGAN, ...PPPK_GRADES]),
      positionName: z.string().min(1).max(200),
      positionType: z.enum(POSITION_TYPES),
      effectiveDate: CalendarDate.optional(),
      decreeNumber: z.string().min(1).max(100).optional(),
    })
    .strict(),
} satisfies PlatformAgencyEventType;

/** SIMPEG moves an employee of its own agency to another of its units (mutasi dalam instansi); as `transferEmployee` within the agency. */
export const SimpegTransfer = {
  name: 'simpeg.mutasi',
  version: 1,
  description: 'SIMPEG instansi memindahkan seorang ASN-nya ke unit kerja lain di instansi yang sama (mutasi dalam instansi).',
  data: z
    .object({
      nip: Nip,
      toUnitCode: UnitCode.nullable().optional(),
      effectiveDate: CalendarDate.optional(),
      decreeNumber: z.string().min(1).max(100).optional(),
    })
    .strict(),
} satisfies PlatformAgencyEventType;

/** SIMPEG retires an employee of its own agency (pensiun); as `retireEmployee`. */
export const SimpegRetirement = {
  name: 'simpeg.pensiun',
  version: 1,
  description: 'SIMPEG instansi memensiunkan seorang ASN-nya (pensiun BUP, atau lebih awal dengan alasan).',
  data: z
    .object({
      nip: Nip,
      effectiveDate: CalendarDate.optional(),
      decreeNumber: z.string().min(1).max(100).optional(),
      /** Needed when retiring before the retirement age. */
      reason: z.string().min(1).max(500).optional(),
    })
    .strict(),
} satisfies PlatformAgencyEventType;

/**
 * A letter sent through Simpul (documents) to an agency: published by the platform as the
 * receiving agency's event, so that agency's administrator subscribes its own e-office
 * system with a grant (`grantEventAccess(<agency>, "surat.masuk", clientId)`). Like the
 * documents event it comes from, it carries no subject or body: the e-office fetches the
 * letter from Simpul with its own rights.
 */
export const LetterReceived = {
  name: 'surat.masuk',
  version: 1,
  description: 'Surat dari instansi lain dikirim lewat Simpul kepada instansi ini.',
  publishedBy: 'platform',
  data: z
    .object({
      documentId: z.uuid(),
      number: z.string().min(1),
      fromAgencyCode: AgencyCode,
      securityClass: z.string().min(1),
      sentAt: z.iso.datetime(),
      /** This agency's recipients on the letter (the agency itself, units, employees). */
      recipients: z.array(z.object({ kind: z.string(), unitCode: z.string().nullable(), nip: z.string().nullable() })),
    })
    .strict(),
} satisfies PlatformAgencyEventType;

export const PLATFORM_AGENCY_EVENT_TYPES: readonly PlatformAgencyEventType[] = [SimpegAppointment, SimpegTransfer, SimpegRetirement, LetterReceived];

/** The platform-defined type of that name and version (the latest when no version), if any. */
export function platformAgencyEventType(name: string, version?: number): PlatformAgencyEventType | null {
  const matching = PLATFORM_AGENCY_EVENT_TYPES.filter((t) => t.name === name && (version === undefined || t.version === version));
  return matching.sort((a, b) => b.version - a.version)[0] ?? null;
}

export function isPlatformAgencyEventName(name: string): boolean {
  return PLATFORM_AGENCY_EVENT_TYPES.some((t) => t.name === name);
}

/** The JSON Schema (draft 2020-12) of a platform type's data, as the registry's gate validates it. */
export function platformAgencyEventSchema(type: PlatformAgencyEventType): Record<string, unknown> {
  return z.toJSONSchema(type.data, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
}
