import { randomBytes } from 'node:crypto';
import { Accounts } from '../../src/core/accounts.ts';
import { AppPasswords } from '../../src/core/appPasswords.ts';
import { Revocations } from '../../src/core/revocation.ts';
import { memoryBus } from '../../src/state/bus.ts';
import { appPasswordRepo } from '../../src/store/appPasswordRepo.ts';
import { Audit } from '../../src/core/audit.ts';
import type { Clock } from '../../src/core/ports.ts';
import { Sessions } from '../../src/core/sessions.ts';
import { TrustedDevices } from '../../src/core/trustedDevices.ts';
import { accountRepo } from '../../src/store/accountRepo.ts';
import { auditRepo } from '../../src/store/auditRepo.ts';
import type { Store } from '../../src/store/db.ts';
import { sessionRepo } from '../../src/store/sessionRepo.ts';
import { trustedDeviceRepo } from '../../src/store/trustedDeviceRepo.ts';

/** The accounts core over a test store, with what a password change revokes on the same store. */
export function testAccounts(db: Store['db'], clock: Clock): Accounts {
  const audit = new Audit(auditRepo(db), clock);
  const revocations = new Revocations(memoryBus());
  return new Accounts(accountRepo(db), clock, {
    audit,
    sessions: new Sessions(sessionRepo(db), clock, { idleMinutes: 30, maxHours: 12 }),
    trustedDevices: new TrustedDevices(trustedDeviceRepo(db), audit, clock, 30),
    revocations,
    appPasswords: new AppPasswords(appPasswordRepo(db), clock, randomBytes(32), revocations),
  });
}
