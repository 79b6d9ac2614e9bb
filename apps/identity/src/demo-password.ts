import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface DemoPassword {
  password: string;
  /** Where it is kept, so the run script can show it again. */
  file: string;
  /** True when this call made it up (it was not in the file yet). */
  generated: boolean;
}

/** `${SIMPUL_STATE_DIR}/admin-password`: written by identity in demo mode, read by the run script. */
export function adminPasswordFile(stateDir: string): string {
  return join(stateDir, 'admin-password');
}

/**
 * The password of the demo administrator and demo users when SIMPUL_ADMIN_PASSWORD is
 * not set: read from the state directory, or made up once and written there (mode
 * 0600), so every start and `db:seed` agree on it. There is no fixed default password.
 */
export async function demoPassword(stateDir: string): Promise<DemoPassword> {
  const file = adminPasswordFile(stateDir);
  try {
    const stored = (await readFile(file, 'utf8')).trim();
    if (stored.length >= 12) return { password: stored, file, generated: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const password = randomBytes(18).toString('base64url').slice(0, 18);
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  await chmod(file, 0o600); // an existing file keeps its old mode otherwise
  return { password, file, generated: true };
}
