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

  /** Marks the client revoked; a second revocation keeps the first date. */
  async revoke(id: string, at: Date): Promise<ApiClient> {
    await this.prisma.apiClient.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at } });
    return this.prisma.apiClient.findUniqueOrThrow({ where: { id } });
  }
}
