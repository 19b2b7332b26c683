import type { Lang } from '../i18n/index.ts';
import type { Accounts } from './accounts.ts';
import type { Audit, RequestInfo } from './audit.ts';
import { PosternError } from './errors.ts';
import type { DeviceCookies } from './deviceCookies.ts';
import { lockoutAddress, type Attempt, type Lockout } from './lockout.ts';
import type { IsNewDevice } from './newDevices.ts';
import type { AccountRecord, VerificationRecord } from './ports.ts';
import type { PasskeySignIn } from './passkeySignIn.ts';
import type { SessionRecord, Sessions } from './sessions.ts';
import type { TrustedDevices } from './trustedDevices.ts';
import type { AccountOverview, TwoFactorPolicy } from './twoFactorPolicy.ts';
import type { TwoFactor, VerificationView } from './twoFactor.ts';

export interface LoginFlowDeps {
  accounts: Accounts;
  twoFactor: TwoFactor;
  trustedDevices: TrustedDevices;
  sessions: Sessions;
  audit: Audit;
  /** Password guesses (SPEC X10); a browser with a device cookie is judged by its own failures. */
  lockout: Lockout;
  deviceCookies: DeviceCookies;
  /** Passwordless sign-in with a passkey (SPEC X1); absent when passkeys cannot work on this origin. */
  passkeys?: PasskeySignIn;
  /** The domain's 2FA requirement (SPEC X5); absent: nothing is required. */
  policy?: Pick<TwoFactorPolicy, 'overview'>;
  /** Whether a sign-in is from a new device: its event then says so, and the owner gets a notice (SPEC X4). */
  isNewDevice: IsNewDevice;
}

/** Where a sign-in comes from: the browser's address and User-Agent, its trust cookie, the session it had. */
export interface LoginRequest extends RequestInfo {
  ip: string;
  /** The trusted-device cookie (C7), if the browser sent one. */
  trustedDeviceToken?: string;
  /** The device cookie (OWASP), if the browser sent one: it makes the browser a familiar source. */
  deviceToken?: string;
  /** The session the browser had; it ends when the new one starts. */
  replacing?: SessionRecord | null;
}

/** Step 2 is due: the browser keeps `token` (the pending login) and answers with one of `view.methods`. */
export interface SecondFactorPending {
  state: 'second_factor_pending';
  token: string;
  view: VerificationView;
  /** The account signing in, shown on step 2 beside 切换账号. */
  address: string;
}

/** Signed in: a fresh session, a device cookie for the browser, and `trustedDevice` when the user asked to trust it. */
export interface LoginDone {
  state: 'done';
  account: AccountRecord;
  session: { id: string; record: SessionRecord };
  deviceToken: string;
  trustedDevice: { token: string; maxAgeMs: number } | null;
  /** What the signed-in page starts from, when the password step read it already (2FA off). */
  overview?: AccountOverview;
}

/** A step-2 answer that is not final yet (a QR not yet approved on the phone). */
export interface StillPending {
  state: 'second_factor_pending';
}

/**
 * Signed in, but past its domain's grace period without a method: the session may only bind a first
 * method (the signed-in scope refuses the rest with `enrolment_required`); binding it completes the login.
 */
export interface EnrolmentRequired extends Omit<LoginDone, 'state'> {
  state: 'enrolment_required';
}

export type LoginStep = SecondFactorPending | LoginDone | EnrolmentRequired;

/**
 * The one way a browser signs in (SPEC C1–C8), as a state machine:
 *
 *   password ─► password_ok ─┬─► done                    (2FA off, or a trusted browser)
 *                            ├─► enrolment_required ─► done    (2FA off past the domain's grace: bind one)
 *                            └─► second_factor_pending ─► done   (a bound method answered)
 *   passkey ─────────────────────► done                    (a passkey with user verification: both factors)
 *
 * The pending state is a verification bound to
 * the browser's token: short-lived, and it grants nothing. Web, webmail and admin sign-in all call
 * this; every step is throttled or audited here.
 */
export class LoginFlow {
  readonly #d: LoginFlowDeps;

  constructor(deps: LoginFlowDeps) {
    this.#d = deps;
  }

  #attempt(address: string, from: LoginRequest): Attempt {
    const normalized = lockoutAddress(address);
    return { channel: 'web', ip: from.ip, address: normalized, device: this.#d.deviceCookies.verify(from.deviceToken, normalized) };
  }

  /** Step 1. A wrong password (or an unknown account: one answer for both) is counted and refused. */
  async password(address: string, password: string, from: LoginRequest): Promise<LoginStep> {
    const attempt = this.#attempt(address, from);
    await this.#d.lockout.guard(attempt);
    const account = await this.#d.accounts.checkMainPassword(address, password);
    if (!account) {
      await this.#d.lockout.failed(attempt, password);
      const known = await this.#d.accounts.repo.findByAddress(address);
      if (known) await this.#d.audit.record(known.id, 'login_failed', from, { step: 'password' });
      throw new PosternError('invalid_credentials');
    }
    return this.#passwordOk(account, from);
  }

  async #passwordOk(account: AccountRecord, from: LoginRequest): Promise<LoginStep> {
    // The policy's one read says both whether 2FA is on and whether the account must enrol first.
    const overview = this.#d.policy ? await this.#d.policy.overview(account) : undefined;
    if (!(overview?.twoFactorOn ?? (await this.#d.twoFactor.isOn(account.id)))) {
      const done = { ...(await this.#done(account, from, { secondFactor: false })), overview };
      return overview?.standing.state === 'enforced' ? { ...done, state: 'enrolment_required' } : done;
    }
    if (await this.#d.trustedDevices.isTrusted(account.id, from.trustedDeviceToken)) return this.#done(account, from, { secondFactor: false, trustedDevice: true });
    return this.beginSecondFactor(account);
  }

  /** The pending login: a verification any bound method may answer, bound to the browser by its token (SPEC C1, C2). */
  async beginSecondFactor(account: AccountRecord): Promise<SecondFactorPending> {
    const { token, view } = await this.#d.twoFactor.beginAnyMethod(account, 'login', { bindToBrowser: true });
    return { state: 'second_factor_pending', token: token!, view, address: account.address };
  }

  /** The pending login of this browser, or an error saying to start with the password. */
  async pending(token: string | undefined): Promise<VerificationRecord> {
    const v = await this.#d.twoFactor.verifications.getByToken(token);
    if (!v || v.purpose !== 'login') throw new PosternError('login_step1_required');
    return v;
  }

  /**
   * The same password check for a signed-in user confirming a change (the current password of a
   * password change, a step-up with 2FA off), under the same lockout as sign-in.
   */
  async confirmPassword(account: AccountRecord, password: string, from: LoginRequest, refusal: 'wrong_current_password' | 'wrong_password' = 'wrong_current_password'): Promise<void> {
    const attempt = this.#attempt(account.address, from);
    await this.#d.lockout.guard(attempt);
    if (!(await this.#d.accounts.checkMainPassword(account.address, password))) {
      await this.#d.lockout.failed(attempt, password);
      throw new PosternError(refusal);
    }
  }

  /** The pending login that `token` names, with its account; else "start with the password". */
  async #pendingOf(token: string | undefined): Promise<{ verification: VerificationRecord; account: AccountRecord }> {
    const verification = await this.pending(token);
    const account = await this.#d.accounts.repo.findById(verification.accountId);
    if (!account || account.disabled) throw new PosternError('login_step1_required');
    return { verification, account };
  }

  /** What step 2 offers again (a page reload), and to which account. */
  async view(token: string | undefined): Promise<{ view: VerificationView; address: string }> {
    const { verification, account } = await this.#pendingOf(token);
    return { view: await this.#d.twoFactor.verificationView(verification), address: account.address };
  }

  /** Sends the code, or shows the QR, of the chosen method. */
  async start(token: string | undefined, factorId: string, from: RequestInfo, lang: Lang) {
    const { verification, account } = await this.#pendingOf(token);
    return this.#d.twoFactor.start(account, verification, factorId, from, lang);
  }

  /** Step 2: the answer of one bound method; on success the browser is signed in (and trusted when asked). */
  async answer(token: string | undefined, answer: { factorId: string; code: string; trust: boolean }, from: LoginRequest, lang: Lang): Promise<LoginDone | StillPending> {
    const { verification, account } = await this.#pendingOf(token);
    const result = await this.#d.twoFactor.check(account, verification, answer.factorId, answer.code, from, lang);
    if (result.status === 'pending') return { state: 'second_factor_pending' };
    if (!(await this.consumeSecondFactor(verification, from))) throw new PosternError('verification_done');
    const trustedDevice = answer.trust ? { token: (await this.#d.trustedDevices.trust(account.id, from)).token, maxAgeMs: this.#d.trustedDevices.lifetimeMs } : null;
    return { ...(await this.#complete(account, from)), trustedDevice };
  }

  /** What the browser needs to offer the site's passkeys (使用通行密钥登录, and autofill). */
  async passkeyOptions(from: RequestInfo) {
    if (!this.#d.passkeys) throw new PosternError('method_unavailable', { method: 'webauthn' });
    return this.#d.passkeys.options(from);
  }

  /** Passwordless: the passkey's signed answer, with user verification, is both factors (SPEC X1). */
  async passkey(response: string, from: LoginRequest, lang: Lang): Promise<LoginDone> {
    if (!this.#d.passkeys) throw new PosternError('method_unavailable', { method: 'webauthn' });
    const { account, verification, factorId } = await this.#d.passkeys.prepare(response);
    const result = await this.#d.twoFactor.check(account, verification, factorId, response, from, lang);
    if (result.status === 'pending' || !(await this.consumeSecondFactor(verification, from, { passkey: true }))) throw new PosternError('verification_done');
    return this.#complete(account, from);
  }

  /** Uses up a verified pending login: true exactly once, and the sign-in is audited. */
  async consumeSecondFactor(v: VerificationRecord, from: RequestInfo, detail: { passkey?: true } = {}): Promise<boolean> {
    if (!(await this.#d.twoFactor.verifications.consume(v))) return false;
    await this.#signedIn(v.accountId, from, { secondFactor: true, ...detail });
    return true;
  }

  async #done(account: AccountRecord, from: LoginRequest, detail: { secondFactor: false; trustedDevice?: true }): Promise<LoginDone> {
    await this.#signedIn(account.id, from, detail);
    return this.#complete(account, from);
  }

  /** The sign-in's event; whether the device is new is decided here, once (a trusted browser never is). */
  async #signedIn(accountId: string, from: RequestInfo, detail: { secondFactor: boolean; trustedDevice?: true; passkey?: true }): Promise<void> {
    const newDevice = !detail.trustedDevice && (await this.#d.isNewDevice(accountId, from));
    await this.#d.audit.record(accountId, 'login_succeeded', from, newDevice ? { ...detail, newDevice } : detail);
  }

  /** The last step of every sign-in: the login recorded, a new session (fresh id) instead of any old one. */
  async #complete(account: AccountRecord, from: LoginRequest): Promise<LoginDone> {
    const previous = { prevLoginAt: account.lastLoginAt?.getTime() ?? null, prevLoginIp: account.lastLoginIp };
    await this.#d.accounts.recordLogin(account, from.ip);
    if (from.replacing) await this.#d.sessions.end(from.replacing);
    const { id, session } = await this.#d.sessions.create(account.id, { ip: from.ip, userAgent: from.userAgent ?? '', ...previous });
    return { state: 'done', account, session: { id, record: session }, deviceToken: this.#d.deviceCookies.issue(account.address), trustedDevice: null };
  }
}
