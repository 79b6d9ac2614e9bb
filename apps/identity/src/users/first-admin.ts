import { createEvent } from '@simpul/bus';
import { AgencyCreated, type Subjects } from '@simpul/contracts';
import { ConfigError, type Logger } from '@simpul/kit';
import type { IdentityEnvironment } from '../environment.ts';
import type { AgencyStore, NewAgency } from '../agencies/agency-store.ts';
import { hashPassword } from '../auth/password.ts';
import { demoPassword } from '../demo-password.ts';
import type { UserStore } from './user-store.ts';

/** KemenPANRB runs the platform nationally; the first administrator belongs to it. */
export const HOME_AGENCY: NewAgency = {
  code: 'KEMENPANRB',
  name: 'Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi',
  kind: 'MINISTRY',
  parentCode: null,
};

export const FIRST_ADMIN_USERNAME = 'admin';

export interface FirstAdminDeps {
  env: Pick<IdentityEnvironment, 'SIMPUL_ADMIN_PASSWORD' | 'SIMPUL_DEMO' | 'SIMPUL_STATE_DIR'>;
  users: UserStore;
  agencies: AgencyStore;
  subjects: Subjects;
  logger: Logger;
}

export type FirstAdminOutcome = 'existed' | 'created';

/**
 * Makes sure someone can administer the platform: when nobody holds NATIONAL_ADMIN,
 * creates `admin` in KEMENPANRB with SIMPUL_ADMIN_PASSWORD, or in demo mode with a
 * generated password that is logged once and kept in the state directory. Without
 * either it refuses to start. An existing administrator's password is never changed
 * here (the `resetPassword` mutation does that).
 */
export async function ensureFirstAdmin(deps: FirstAdminDeps): Promise<FirstAdminOutcome> {
  const { env, users, agencies, logger } = deps;
  if (await users.hasNationalAdmin()) return 'existed';

  let password = env.SIMPUL_ADMIN_PASSWORD;
  let generated: { file: string } | undefined;
  if (password === undefined) {
    if (!env.SIMPUL_DEMO) {
      throw new ConfigError([
        'SIMPUL_ADMIN_PASSWORD: required to create the first administrator (no user holds NATIONAL_ADMIN yet); ' +
          'set it to a password of at least 12 characters, or set SIMPUL_DEMO=true to generate one',
      ]);
    }
    const demo = await demoPassword(env.SIMPUL_STATE_DIR);
    password = demo.password;
    generated = { file: demo.file };
  }

  if (!(await agencies.findByCode(HOME_AGENCY.code))) {
    await agencies.create(HOME_AGENCY, createEvent(deps.subjects, AgencyCreated, HOME_AGENCY));
  }
  const result = await users.create({
    username: FIRST_ADMIN_USERNAME,
    displayName: 'Administrator Nasional',
    agencyCode: HOME_AGENCY.code,
    unitId: null,
    roles: ['NATIONAL_ADMIN'],
    passwordHash: await hashPassword(password),
  });
  if (!result.ok) {
    // Another instance created it at the same moment, or an `admin` without the role exists.
    if (await users.hasNationalAdmin()) return 'existed';
    throw new Error(`A user named "${FIRST_ADMIN_USERNAME}" exists but nobody holds NATIONAL_ADMIN; grant it in the database`);
  }
  if (generated) {
    logger.warn(
      { username: FIRST_ADMIN_USERNAME, password, passwordFile: generated.file },
      `*** First administrator created: user "${FIRST_ADMIN_USERNAME}", password "${password}" ` +
        `(demo mode; also in ${generated.file}; demo users share it) ***`,
    );
  } else {
    logger.info({ username: FIRST_ADMIN_USERNAME }, 'first administrator created with SIMPUL_ADMIN_PASSWORD');
  }
  return 'created';
}
