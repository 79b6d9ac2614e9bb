import { recordAudit } from '@simpul/bus';
import type { Subjects } from '@simpul/contracts';
import { badUserInput, notFound, type Principal } from '@simpul/kit';
import type { AccessRight, ExposedService, PrismaClient } from '../db.ts';
import { agencyManagerDenial, requireReader } from '../auth/permissions.ts';
import { auditEntry } from '../applications/application-manager.ts';
import { parseServiceId, parseSubsystemId } from '../applications/xroad.ts';
import type { AccessStore, ServiceWithOwner } from './access-store.ts';

/**
 * Access rights between systems. The agency that owns a service decides who may call it
 * (its AGENCY_ADMIN, or a NATIONAL_ADMIN); every grant, revocation and refusal is audited.
 * Anyone logged in may ask what a client subsystem may call.
 */
export class AccessManager {
  constructor(
    private readonly store: AccessStore,
    private readonly prisma: PrismaClient,
    private readonly subjects: Subjects,
    private readonly eventsWritten: () => void,
  ) {}

  async grant(principal: Principal | null, serviceIdentifier: string, clientSubsystem: string): Promise<AccessRight & { service: ExposedService }> {
    const caller = requireReader(principal);
    const client = subsystemId(clientSubsystem);
    const service = await this.service(caller, serviceIdentifier, 'access.grant', client);
    const right = await this.store.grant(
      service.id,
      client,
      caller.username,
      auditEntry(caller, 'access.grant', `service:${service.identifier}`, 'SUCCESS', { clientSubsystem: client }),
    );
    this.eventsWritten();
    return { ...right, service };
  }

  async revoke(principal: Principal | null, serviceIdentifier: string, clientSubsystem: string): Promise<boolean> {
    const caller = requireReader(principal);
    const client = subsystemId(clientSubsystem);
    const service = await this.service(caller, serviceIdentifier, 'access.revoke', client);
    const revoked = await this.store.revoke(
      service.id,
      client,
      auditEntry(caller, 'access.revoke', `service:${service.identifier}`, 'SUCCESS', { clientSubsystem: client }),
    );
    if (revoked) this.eventsWritten();
    return revoked;
  }

  /** "What may this client call": the services it holds a right to. */
  async callableBy(principal: Principal | null, clientSubsystem: string): Promise<ExposedService[]> {
    requireReader(principal);
    return this.store.servicesCallableBy(subsystemId(clientSubsystem));
  }

  rightsOf(serviceIds: readonly string[]): Promise<AccessRight[]> {
    return this.store.rightsOf(serviceIds);
  }

  private async service(caller: Principal, identifier: string, action: string, client: string): Promise<ServiceWithOwner> {
    const parsed = parseServiceId(identifier.trim());
    if (!parsed.ok) throw badUserInput(`serviceIdentifier: "${identifier}" ${parsed.reason}`, { field: 'serviceIdentifier' });
    const service = await this.store.findService(identifier.trim());
    if (!service) throw notFound(`No application exposes the service "${identifier}"`);
    const denial = agencyManagerDenial(caller, service.application.ownerAgencyCode);
    if (denial) {
      await recordAudit(
        this.prisma,
        this.subjects,
        'registry',
        auditEntry(caller, action, `service:${service.identifier}`, 'DENIED', { clientSubsystem: client }),
      );
      this.eventsWritten();
      throw denial;
    }
    return service;
  }
}

function subsystemId(value: string): string {
  const parsed = parseSubsystemId(value.trim());
  if (!parsed.ok) throw badUserInput(`clientSubsystem: "${value}" ${parsed.reason}`, { field: 'clientSubsystem' });
  return value.trim();
}
