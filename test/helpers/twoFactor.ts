import pino from 'pino';
import { SideEffects } from '../../src/core/sideEffects.ts';
import { sideEffectRepo } from '../../src/store/sideEffectRepo.ts';
import { testAccounts } from './accounts.ts';
import { LoginFlow } from '../../src/core/loginFlow.ts';
import { newDevices } from '../../src/core/newDevices.ts';
import { describeUserAgent } from '../../src/providers/userAgent.ts';
import { Sessions } from '../../src/core/sessions.ts';
import { sessionRepo } from '../../src/store/sessionRepo.ts';
import { randomBytes } from 'node:crypto';
import { DeviceCookies } from '../../src/core/deviceCookies.ts';
import { defaultLockoutLimits, Lockout } from '../../src/core/lockout.ts';
import { Secret, TOTP } from 'otpauth';
import { Audit } from '../../src/core/audit.ts';
import { PosternError } from '../../src/core/errors.ts';
import { randomCode, MethodRegistry, type ChallengeEnv, type Method } from '../../src/core/methods.ts';
import type { AccountRecord, RateLimiter } from '../../src/core/ports.ts';
import { FakeClock } from './clock.ts';
import { RecoveryCodesMethod } from '../../src/core/recoveryCodes.ts';
import { SecretBox } from '../../src/core/secretBox.ts';
import { TotpMethod } from '../../src/core/totp.ts';
import { TrustedDevices } from '../../src/core/trustedDevices.ts';
import { TwoFactor } from '../../src/core/twoFactor.ts';
import { Verifications } from '../../src/core/verifications.ts';
import { auditRepo } from '../../src/store/auditRepo.ts';
import type { Store } from '../../src/store/db.ts';
import { factorRepo } from '../../src/store/factorRepo.ts';
import { databaseRateLimiter } from '../../src/store/rateLimitRepo.ts';
import { trustedDeviceRepo } from '../../src/store/trustedDeviceRepo.ts';
import { resendClaimRepo } from '../../src/store/resendClaimRepo.ts';
import { verificationRepo } from '../../src/store/verificationRepo.ts';
import { PasskeySignIn } from '../../src/core/passkeySignIn.ts';
import { WebAuthnMethod, type RelyingParty } from '../../src/core/webauthn.ts';
import { passkeyChallengeRepo } from '../../src/store/passkeyChallengeRepo.ts';

/** The relying party of the core tests' passkeys. */
export const relyingParty: RelyingParty = { id: 'localhost', origin: 'http://localhost:8080', name: 'Postern' };

export const request = { ip: '203.0.113.7', userAgent: 'Mozilla/5.0 Test' };

/** A code-by-mail method as the backup-email engineer would write it, with an outbox instead of mail. */
export class OutboxCodeMethod implements Method {
  readonly kind = 'backupEmail' as const;
  readonly style = 'code' as const;
  readonly responsePattern = /^[A-Za-z0-9]{4}$/;
  readonly outbox: { to: string; code: string }[] = [];
  /** While true, sending fails as a provider that is down would. */
  down = false;

  async prepare(input: unknown) {
    const address = String((input as { address?: string }).address);
    return { data: { address }, label: address.replace(/^(.{2}).*@/, '$1****@'), display: null };
  }

  async start(env: ChallengeEnv) {
    if (this.down) throw new PosternError('mail_send_failed');
    const code = randomCode('letters', 4);
    this.outbox.push({ to: (env.data as { address: string }).address, code });
    return { state: { hash: env.codes.hash(code) }, display: { sentTo: env.factor.label }, ttlMs: 5 * 60_000 };
  }

  async check(env: ChallengeEnv, response: string) {
    const { hash } = JSON.parse(env.challenge!.state) as { hash: string };
    return env.codes.matches(response, hash) ? ('ok' as const) : ('wrong' as const);
  }

  sendsTo(data: unknown): string {
    return (data as { address: string }).address;
  }

  lastCode(): string {
    return this.outbox.at(-1)!.code;
  }
}

/** A QR-approval method like WeChat: the phone's approval arrives through `Verifications.approve`. */
export class ApprovalMethod implements Method {
  readonly kind = 'wechat' as const;
  readonly style = 'approval' as const;
  readonly responsePattern = /^\d{6}$/;

  async prepare() {
    return { data: {}, label: 'WeChat', display: null };
  }

  async start(env: ChallengeEnv) {
    return { state: { approved: false }, display: { qr: `wechat://scan/${env.challengeId}` } };
  }

  async check(env: ChallengeEnv) {
    return env.challenge!.approvedAt ? ('ok' as const) : ('pending' as const);
  }
}

/** Core services of 2FA over a test store with a fake clock. */
export function twoFactorKit(store: Store, options: { limiter?: RateLimiter } = {}) {
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 8, 0, 0));
  const effects = new SideEffects({ repo: sideEffectRepo(store), clock, log: pino({ level: 'silent' }) });
  const audit = new Audit(auditRepo(store.db), clock, { atomic: store.atomic, effects });
  const mail = new OutboxCodeMethod();
  const pepper = randomBytes(32);
  const webauthn = new WebAuthnMethod(relyingParty);
  const methods = new MethodRegistry().register(new TotpMethod()).register(mail).register(new ApprovalMethod()).register(new RecoveryCodesMethod(pepper)).register(webauthn);
  const trusted = new TrustedDevices(trustedDeviceRepo(store.db), audit, clock, 30);
  const factors = factorRepo(store.db);
  const box = new SecretBox(randomBytes(32));
  const verifications = new Verifications({
    repo: verificationRepo(store.db),
    factors,
    limiter: options.limiter ?? databaseRateLimiter(store.db),
    claims: resendClaimRepo(store.db),
    methods,
    audit,
    box,
    pepper,
    clock,
  });
  const twoFactor = new TwoFactor({ factors, verifications, methods, trusted, audit, box, clock });
  const accounts = testAccounts(store.db, clock);
  const limiter = options.limiter ?? databaseRateLimiter(store.db);
  const sessions = new Sessions(sessionRepo(store.db), clock, { idleMinutes: 30, maxHours: 12 });
  const lockout = new Lockout({ limiter, clock, pepper, limits: defaultLockoutLimits, onLockout: async () => {} });
  const passkeys = new PasskeySignIn({ challenges: passkeyChallengeRepo(store.db), accounts: accounts.repo, factors, verifications, method: webauthn, box, limiter, clock });
  const login = new LoginFlow({ accounts, twoFactor, trustedDevices: trusted, sessions, audit, lockout, deviceCookies: new DeviceCookies(pepper), passkeys, isNewDevice: newDevices(audit, describeUserAgent) });
  let n = 0;
  return {
    clock,
    audit,
    effects,
    mail,
    trusted,
    factors,
    verifications,
    twoFactor,
    login,
    accounts,
    box,
    async newAccount(): Promise<AccountRecord> {
      if (!(await accounts.repo.domainExists('example.edu'))) await accounts.addDomain('example.edu');
      return accounts.create({ address: `user${n++}-${randomBytes(3).toString('hex')}@example.edu`, password: 'a long test passphrase' });
    },
    /** The code an authenticator app shows now (or `stepOffset` steps away) for a base32 secret. */
    totpCode(secret: string, stepOffset = 0): string {
      const totp = new TOTP({ secret: Secret.fromBase32(secret.replace(/ /g, '')), algorithm: 'SHA1', digits: 6, period: 30 });
      return totp.generate({ timestamp: clock.now().getTime() + stepOffset * 30_000 });
    },
  };
}

export type TwoFactorKit = ReturnType<typeof twoFactorKit>;

/** Binds TOTP for `account` and returns its secret. */
export async function bindTotp(kit: TwoFactorKit, account: AccountRecord): Promise<string> {
  const bind = await kit.twoFactor.beginBind(account, 'totp', {}, request, 'zh-CN');
  const secret = (bind.display as { secret: string }).secret.replace(/ /g, '');
  const v = await kit.verifications.get(account.id, bind.verificationId);
  await kit.twoFactor.check(account, v, bind.factorId, kit.totpCode(secret), request, 'zh-CN');
  // Past the binding code's step and its ±1 window, so tests start with fresh codes.
  kit.clock.advance(90_000);
  return secret;
}
