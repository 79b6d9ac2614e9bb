import { pino, type Logger } from 'pino';

export type { Logger };

/** One JSON logger per process; child loggers carry the component name. */
export function createLogger(name: string, level: string = 'info'): Logger {
  return pino({ name, level, base: { service: name } });
}
