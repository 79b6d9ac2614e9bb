/**
 * X-Road-style identifiers of systems on the integration layer (SPLP):
 * `INSTANCE/CLASS/MEMBER/SUBSYSTEM` for a system and `.../SERVICE[/VERSION]` for a service
 * it exposes, e.g. `ID/PEMDA/KAB-BANYUWANGI/SIMPEG/employee-lookup/v1`. The member code is
 * the owner agency's code, which never changes. Each part uses X-Road's characters
 * (`A-Z a-z 0-9 ' ( ) + , - . = ?`); the slash only separates parts.
 */
export const XROAD_INSTANCE = 'ID';
/** PUSAT: central government (ministries and agencies); PEMDA: regional governments. */
export const MEMBER_CLASSES = ['PUSAT', 'PEMDA'] as const;

const PART = /^[A-Za-z0-9'()+,\-.=?]{1,64}$/;

export interface SubsystemId {
  instance: string;
  memberClass: string;
  memberCode: string;
  subsystemCode: string;
}

export interface ServiceId extends SubsystemId {
  serviceCode: string;
  version: string | null;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

function parts(value: string, min: number, max: number, shape: string): Parsed<string[]> {
  const split = value.split('/');
  if (split.length < min || split.length > max) return { ok: false, reason: `must have the shape ${shape}` };
  const bad = split.find((p) => !PART.test(p));
  if (bad !== undefined) {
    return { ok: false, reason: bad === '' ? 'has an empty part' : `part "${bad}" may only use A-Z a-z 0-9 ' ( ) + , - . = ? (1-64 characters)` };
  }
  if (split[0] !== XROAD_INSTANCE) return { ok: false, reason: `instance must be ${XROAD_INSTANCE}, not "${split[0]}"` };
  if (!(MEMBER_CLASSES as readonly string[]).includes(split[1] as string)) {
    return { ok: false, reason: `member class must be one of ${MEMBER_CLASSES.join(', ')}, not "${split[1]}"` };
  }
  return { ok: true, value: split };
}

export function parseSubsystemId(value: string): Parsed<SubsystemId> {
  const p = parts(value, 4, 4, 'ID/CLASS/MEMBER/SUBSYSTEM');
  if (!p.ok) return p;
  const [instance, memberClass, memberCode, subsystemCode] = p.value as [string, string, string, string];
  return { ok: true, value: { instance, memberClass, memberCode, subsystemCode } };
}

export function parseServiceId(value: string): Parsed<ServiceId> {
  const p = parts(value, 5, 6, 'ID/CLASS/MEMBER/SUBSYSTEM/SERVICE[/VERSION]');
  if (!p.ok) return p;
  const [instance, memberClass, memberCode, subsystemCode, serviceCode, version] = p.value as [string, string, string, string, string, string?];
  return { ok: true, value: { instance, memberClass, memberCode, subsystemCode, serviceCode, version: version ?? null } };
}

export function subsystemOf(service: ServiceId): string {
  return [service.instance, service.memberClass, service.memberCode, service.subsystemCode].join('/');
}
