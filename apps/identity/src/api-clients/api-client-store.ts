import { writeOutboxEvent, type OutgoingEvent } from '@simpul/bus';
import type { ApiClient, PrismaClient } from '../db.ts';

export interface NewApiClient {
  clientId: string;
  name: string;
  agencyCode: string;
  secretHash: string;
  natsPublicKey?: string | null;
}

/** Agency systems that call Simpul with client credentials. */
export class ApiClientStore {
  constructor(private readonly prisma: PrismaClient) {}

  findByClientId(clientId: string): Promise<ApiClient | null> {
    return this.prisma.apiClient.findUnique({ where: { clientId } });
  }

  listByAgency(agencyCode: string): Promise<ApiClient[]> {
    return this.prisma.apiClient.findMany({ where: { agencyCode }, orderBy: { createdAt: 'asc' } });
  }

  create(client: NewApiClient): Promise<ApiClient> {
    return this.prisma.apiClient.create({ data: { ...client, roles: ['API_CLIENT'] } });
  }

  /** Clients that may use the bus: not revoked, with a NATS key. */
  listBusUsers(): Promise<ApiClient[]> {
    return this.prisma.apiClient.findMany({ where: { revokedAt: null, natsPublicKey: { not: null } }, orderBy: { createdAt: 'asc' } });
  }

  /**
   * Marks the client revoked and writes `events` to the outbox in the same transaction;
   * a second revocation keeps the first date and writes nothing (`first` is false).
   */
  async revoke(id: string, at: Date, events: () => OutgoingEvent[]): Promise<{ client: ApiClient; first: boolean }> {
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.apiClient.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at } });
      if (count === 1) for (const event of events()) await writeOutboxEvent(tx, event);
      return { client: await tx.apiClient.findUniqueOrThrow({ where: { id } }), first: count === 1 };
    });
  }
}
