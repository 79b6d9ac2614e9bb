/** The services that own data and answer GraphQL over NATS. The gateway stitches exactly these. */
export const SERVICES = ['identity', 'personnel', 'documents', 'registry', 'telemetry'] as const;
export type ServiceName = (typeof SERVICES)[number];

export function isServiceName(value: string): value is ServiceName {
  return (SERVICES as readonly string[]).includes(value);
}
