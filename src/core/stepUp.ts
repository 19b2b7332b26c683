import type { Lang } from '../i18n/index.ts';
import type { Audit, RequestInfo } from './audit.ts';
import { PosternError } from './errors.ts';
import type { LoginFlow, LoginRequest } from './loginFlow.ts';
import type { AccountRecord, Clock, RateLimiter, VerificationRecord } from './ports.ts';
import type { SessionRecord, Sessions } from './sessions.ts';
import type { TwoFactor, VerificationView } from './twoFactor.ts';

/** How long a passed step-up keeps the session in sudo mode (SPEC X9). */
export const stepUpWindowMs = 10 * 60_000;
/** Failed step-ups within an hour after which the owner is told (once). */
const failuresForNotice = 5;
const failureWindowMs = 60 * 60_000;
// Wrong answers, as opposed to a verification that expired or was used already.
const wrongAnswers = new Set(['wrong_code', 'code_reused', 'code_expired', 'approval_denied', 'second_factor_attempts_exhausted', 'second_factor_locked', 'wrong_password', 'recovery_code_used']);

/** The actions that need sudo mode; `bind_method` is binding a method that is not bound yet. */
export type SensitiveAction = 'create_app_password' | 'bind_method' | 'recovery_codes' | 'change_password' | 'unbind_method' | 'admin_action';

/** How the user proves it is them: any bound method with 2FA on, else the main password. */
export type StepUpChallenge = { method: 'password' } | { method: 'verification'; verification: VerificationView };

export type StepUpCheck = { status: 'pending' } | { status: 'verified'; id: string; session: SessionRecord };

export interface StepUpDeps {
  sessions: Sessions;
  twoFactor: TwoFactor;
  /** The main-password check of a signed-in user, under the sign-in lockout. */
  login: Pick<LoginFlow, 'confirmPassword'>;
  limiter: RateLimiter;
  audit: Audit;
  clock: Clock;
}

/**
 * Step-up ("sudo mode", SPEC X9): a sensitive action needs an explicit verification of the session
 * within the last 10 minutes, with any bound method, or the main password while 2FA is off. Neither
 * signing in nor the verification that binds a method opens the window, so a stolen session that
 * just signed in must still prove a factor; only binding the first method, with 2FA off, is allowed
 * within 10 minutes of the sign-in, as the guide walks a new user through it. A passed step-up
 * gives the session a new id.
 */
export class StepUp {
  readonly #d: StepUpDeps;

  constructor(deps: StepUpDeps) {
    this.#d = deps;
  }

  /** Until when the session is in sudo mode (epoch ms), or null. */
  until(session: SessionRecord): number | null {
    if (session.stepUpAt === null) return null;
    const until = session.stepUpAt + stepUpWindowMs;
    return until > this.#d.clock.now().getTime() ? until : null;
  }

  /** Throws `step_up_required` (403) unless the session may do `action` now. */
  async require(session: SessionRecord, action: SensitiveAction): Promise<void> {
    if (this.until(session) !== null) return;
    if (action === 'bind_method' && !(await this.#d.twoFactor.isOn(session.accountId)) && this.#d.clock.now().getTime() - session.createdAt < stepUpWindowMs) return;
    throw new PosternError('step_up_required', { action });
  }

  async begin(account: AccountRecord): Promise<StepUpChallenge> {
    if (!(await this.#d.twoFactor.isOn(account.id))) return { method: 'password' };
    return { method: 'verification', verification: await this.#d.twoFactor.beginStepUp(account) };
  }

  /** With 2FA off: the main password, under the same lockout as signing in. */
  async withPassword(session: SessionRecord, account: AccountRecord, password: string, from: LoginRequest): Promise<{ id: string; session: SessionRecord }> {
    if (await this.#d.twoFactor.isOn(account.id)) throw new PosternError('method_not_allowed');
    try {
      await this.#d.login.confirmPassword(account, password, from, 'wrong_password');
    } catch (err) {
      if (err instanceof PosternError && err.code === 'wrong_password') await this.#failed(account, from, 'password');
      throw err;
    }
    return this.#passed(session, account, from);
  }

  /** Answers a step-up verification; once verified it is used up and the session enters sudo mode. */
  async check(session: SessionRecord, account: AccountRecord, v: VerificationRecord, factorId: string, response: string, request: RequestInfo, lang: Lang): Promise<StepUpCheck> {
    if (v.purpose !== 'step_up') throw new PosternError('verification_not_found');
    let result;
    try {
      result = await this.#d.twoFactor.check(account, v, factorId, response, request, lang);
    } catch (err) {
      if (err instanceof PosternError && wrongAnswers.has(err.code)) await this.#failed(account, request, 'verification');
      throw err;
    }
    if (result.status === 'pending') return result;
    if (!(await this.#d.twoFactor.useStepUp(account, v.id))) throw new PosternError('verification_done');
    return { status: 'verified', ...(await this.#passed(session, account, request)) };
  }

  async #passed(session: SessionRecord, account: AccountRecord, request: RequestInfo) {
    const rotated = await this.#d.sessions.rotate(session, { stepUp: true });
    await this.#d.audit.record(account.id, 'step_up_succeeded', request);
    return rotated;
  }

  async #failed(account: AccountRecord, request: RequestInfo, how: 'password' | 'verification'): Promise<void> {
    if (how === 'password') await this.#d.audit.record(account.id, 'step_up_failed', request, { reason: 'password' });
    const counted = await this.#d.limiter.consume(`step_up_failures:${account.id}`, failuresForNotice + 1, failureWindowMs, this.#d.clock.now());
    if (counted.used === failuresForNotice) await this.#d.audit.record(account.id, 'step_up_failed_repeatedly', request, { failures: failuresForNotice });
  }
}
