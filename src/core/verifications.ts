import { createHash, randomBytes } from 'node:crypto';
import type { Lang } from '../i18n/index.ts';
import type { Audit, RequestInfo } from './audit.ts';
import { PosternError } from './errors.ts';
import { codeHasher, type ChallengeEnv, type Json, type MethodRegistry } from './methods.ts';
import type { AccountRecord, ChallengeRecord, Clock, FactorRecord, FactorRepo, Purpose, RateLimiter, ResendClaims, VerificationRecord, VerificationRepo } from './ports.ts';
import type { SecretBox } from './secretBox.ts';

/** The numbers of SPEC C8 and issue 5. */
export const verificationLimits = {
  attemptsPerChallenge: 5,
  /** "Switch method or wait one minute"; also the resend interval of sent codes, per purpose and destination. */
  cooldownMs: 60_000,
  failuresPerWindow: 20,
  failureWindowMs: 60 * 60_000,
  ttlMs: 10 * 60_000,
};

export const newToken = (): string => randomBytes(32).toString('base64url');
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('base64url');
const newId = (): string => randomBytes(16).toString('base64url');

export type CheckResult = { status: 'verified'; verification: VerificationRecord } | { status: 'pending' };

export interface VerificationDeps {
  repo: VerificationRepo;
  factors: FactorRepo;
  limiter: RateLimiter;
  claims: ResendClaims;
  methods: MethodRegistry;
  audit: Audit;
  box: SecretBox;
  pepper: Buffer;
  clock: Clock;
}

/** Asking for, answering and using up second-step verifications (DESIGN "Verification"). */
export class Verifications {
  readonly #d: VerificationDeps;

  constructor(deps: VerificationDeps) {
    this.#d = deps;
  }

  /**
   * A new verification; with `bindToBrowser` it is found by the returned token only (pending logins);
   * `parentId` names the verified change that a bind completes.
   */
  async create(accountId: string, purpose: Purpose, factorIds: string[], options: { targetId?: string; bindToBrowser?: boolean; parentId?: string } = {}) {
    const now = this.#d.clock.now();
    const token = options.bindToBrowser ? newToken() : undefined;
    const record: VerificationRecord = {
      id: newId(),
      accountId,
      purpose,
      factorIds,
      targetId: options.targetId ?? null,
      parentId: options.parentId ?? null,
      tokenHash: token ? hashToken(token) : null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + verificationLimits.ttlMs),
      verifiedAt: null,
      verifiedFactorId: null,
      consumedAt: null,
    };
    await this.#d.repo.insert(record);
    return { verification: record, token };
  }

  /** A verification of this account that can still be answered or used. */
  async get(accountId: string, id: string): Promise<VerificationRecord> {
    const v = await this.#d.repo.get(id);
    if (!v || v.accountId !== accountId || v.tokenHash !== null) throw new PosternError('verification_not_found');
    return this.#assertLive(v);
  }

  async getByToken(token: string | undefined): Promise<VerificationRecord | undefined> {
    if (!token) return undefined;
    const v = await this.#d.repo.findByTokenHash(hashToken(token));
    return v && !v.consumedAt && v.expiresAt > this.#d.clock.now() ? v : undefined;
  }

  #assertLive(v: VerificationRecord): VerificationRecord {
    if (v.consumedAt) throw new PosternError('verification_done');
    if (v.expiresAt <= this.#d.clock.now()) throw new PosternError('verification_expired');
    return v;
  }

  async #factorFor(v: VerificationRecord, factorId: string): Promise<FactorRecord> {
    this.#assertLive(v);
    if (v.verifiedAt) throw new PosternError('verification_done');
    const factor = v.factorIds.includes(factorId) ? await this.#d.factors.get(factorId) : undefined;
    if (!factor || factor.accountId !== v.accountId) throw new PosternError('method_not_allowed');
    const now = this.#d.clock.now();
    if (factor.blockedUntil && factor.blockedUntil > now) {
      throw new PosternError('method_cooling_down', { seconds: Math.ceil((factor.blockedUntil.getTime() - now.getTime()) / 1000) });
    }
    return factor;
  }

  #env(account: AccountRecord, v: VerificationRecord, factor: FactorRecord, challengeId: string, request: RequestInfo, lang: Lang, challenge?: ChallengeRecord): ChallengeEnv {
    return {
      account,
      factor,
      data: this.#data(factor),
      purpose: v.purpose,
      now: this.#d.clock.now(),
      request,
      lang,
      challengeId,
      challenge,
      codes: codeHasher(this.#d.pepper, challengeId),
      advanceCounter: (value) => this.#d.factors.advanceCounter(factor.id, value),
      updateData: (change) => this.#updateData(factor, change),
      boundData: async () => {
        // A change replaces its target: that one may be bound again (the same key, registered anew).
        const replaced = v.parentId ? (await this.#d.repo.get(v.parentId))?.targetId : undefined;
        return (await this.#d.factors.listConfirmed(account.id)).filter((f) => f.kind === factor.kind && f.id !== factor.id && f.id !== replaced).map((f) => this.#data(f));
      },
      bindData: (data, label) => this.#d.factors.setPendingData(factor.id, this.#d.box.seal(JSON.stringify(data), factor.accountId), label),
    };
  }

  async #updateData(factor: FactorRecord, change: (data: Json) => Json | undefined): Promise<boolean> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.#d.factors.get(factor.id);
      if (!current?.confirmedAt) return false;
      const next = change(JSON.parse(this.#d.box.open(current.sealedData, current.accountId)) as Json);
      if (next === undefined) return false;
      if (await this.#d.factors.swapData(current.id, current.sealedData, this.#d.box.seal(JSON.stringify(next), current.accountId))) return true;
    }
    return false;
  }

  /** Opens a challenge on one of the allowed factors: sends a code or returns a QR payload. */
  async start(account: AccountRecord, v: VerificationRecord, factorId: string, request: RequestInfo, lang: Lang) {
    const factor = await this.#factorFor(v, factorId);
    const method = this.#d.methods.get(factor.kind);
    const now = this.#d.clock.now();
    const resendKey = this.#resendKey(v, factor);
    if (resendKey) {
      const waitMs = await this.#d.claims.claim(resendKey, now, verificationLimits.cooldownMs);
      if (waitMs > 0) throw new PosternError('resend_too_soon', { seconds: Math.ceil(waitMs / 1000) });
    }
    const challengeId = newId();
    let started: Awaited<ReturnType<typeof method.start>>;
    try {
      started = await method.start(this.#env(account, v, factor, challengeId, request, lang));
    } catch (err) {
      // Nothing went out (provider down, daily cap): the minute's wait must not hold the user back.
      if (resendKey) await this.#d.claims.release(resendKey, now);
      throw err;
    }
    const expiresAt = new Date(Math.min(v.expiresAt.getTime(), now.getTime() + (started.ttlMs ?? verificationLimits.ttlMs)));
    await this.#d.repo.insertChallenge({
      id: challengeId,
      verificationId: v.id,
      factorId: factor.id,
      state: JSON.stringify(started.state),
      attempts: 0,
      createdAt: now,
      expiresAt,
      approvedAt: null,
      consumedAt: null,
    });
    return { challengeId, expiresAt, display: started.display, resendIn: resendKey ? verificationLimits.cooldownMs / 1000 : 0 };
  }

  /** Opens a challenge whose state was made before the account was known (a passwordless sign-in's). */
  async open(v: VerificationRecord, factorId: string, state: Json): Promise<void> {
    const factor = await this.#factorFor(v, factorId);
    const now = this.#d.clock.now();
    await this.#d.repo.insertChallenge({ id: newId(), verificationId: v.id, factorId: factor.id, state: JSON.stringify(state), attempts: 0, createdAt: now, expiresAt: v.expiresAt, approvedAt: null, consumedAt: null });
  }

  /**
   * The resend interval's key of a code method: one code a minute per account, purpose and
   * destination, so that a bind code does not hold up the login code a moment later and a mistyped
   * address is corrected at once (issue 19). Undefined for methods that send nothing.
   */
  #resendKey(v: VerificationRecord, factor: FactorRecord): string | undefined {
    const method = this.#d.methods.has(factor.kind) ? this.#d.methods.get(factor.kind) : undefined;
    if (method?.style !== 'code') return undefined;
    const to = method.sendsTo ? method.sendsTo(this.#data(factor)) : factor.id;
    return `${factor.kind}:${v.accountId}:${v.purpose}:${hashToken(to)}`;
  }

  /** Seconds before `start` may send a code for this verification with `factor` again (0: now, or nothing to send). */
  async resendIn(v: VerificationRecord, factor: FactorRecord): Promise<number> {
    const key = this.#resendKey(v, factor);
    return key ? Math.ceil((await this.#d.claims.waiting(key, this.#d.clock.now(), verificationLimits.cooldownMs)) / 1000) : 0;
  }

  #data(factor: FactorRecord): Json {
    return JSON.parse(this.#d.box.open(factor.sealedData, factor.accountId)) as Json;
  }

  /** Records an out-of-band approval (WeChat): the next `check` of the challenge succeeds. */
  async approve(challengeId: string, state: Json): Promise<boolean> {
    return this.#d.repo.approveChallenge(challengeId, JSON.stringify(state), this.#d.clock.now());
  }

  async #challengeFor(v: VerificationRecord, factor: FactorRecord, needsStart: boolean): Promise<ChallengeRecord> {
    const now = this.#d.clock.now();
    const latest = await this.#d.repo.latestChallenge(v.id, factor.id);
    const usable = latest && !latest.consumedAt && latest.attempts < verificationLimits.attemptsPerChallenge;
    if (needsStart) {
      if (!latest) throw new PosternError('code_not_sent');
      if (latest.expiresAt <= now) throw new PosternError('code_expired');
      if (!usable) throw new PosternError('second_factor_attempts_exhausted', { seconds: 60 });
      return latest;
    }
    if (usable && latest.expiresAt > now) return latest;
    const fresh: ChallengeRecord = { id: newId(), verificationId: v.id, factorId: factor.id, state: 'null', attempts: 0, createdAt: now, expiresAt: v.expiresAt, approvedAt: null, consumedAt: null };
    await this.#d.repo.insertChallenge(fresh);
    return fresh;
  }

  /**
   * Checks a response. Every check first takes one unit of the account's hourly failure budget and
   * one attempt of the challenge (both given back on success), so parallel guesses cannot exceed
   * either limit; success is recorded with conditional updates, so of racing correct answers
   * exactly one wins.
   */
  async check(account: AccountRecord, v: VerificationRecord, factorId: string, response: string, request: RequestInfo, lang: Lang): Promise<CheckResult> {
    const factor = await this.#factorFor(v, factorId);
    const method = this.#d.methods.get(factor.kind);
    const answer = response.trim();
    const pending = method.style === 'approval' && answer === '';
    if (!pending && !method.responsePattern.test(answer)) throw new PosternError('invalid_code_format');
    const challenge = await this.#challengeFor(v, factor, method.style !== 'app');

    const now = this.#d.clock.now();
    const budgetKey = `2fa-failures:${account.id}`;
    const { failuresPerWindow, failureWindowMs, attemptsPerChallenge, cooldownMs } = verificationLimits;
    const budget = await this.#d.limiter.consume(budgetKey, failuresPerWindow, failureWindowMs, now);
    if (!budget.ok) throw new PosternError('second_factor_locked', { minutes: Math.ceil(budget.retryAfterMs / 60_000) });
    const attempt = await this.#d.repo.reserveAttempt(challenge.id, attemptsPerChallenge);
    if (attempt === null) {
      await this.#d.limiter.refund(budgetKey, failureWindowMs, now);
      // A racing request may have answered this challenge meanwhile.
      if ((await this.#d.repo.getChallenge(challenge.id))?.consumedAt) throw new PosternError('verification_done');
      throw new PosternError('second_factor_attempts_exhausted', { seconds: cooldownMs / 1000 });
    }
    const outcome = await method.check(this.#env(account, v, factor, challenge.id, request, lang, challenge), answer);

    if (outcome === 'ok' || outcome === 'pending') {
      await this.#d.limiter.refund(budgetKey, failureWindowMs, now);
      if (outcome === 'pending') {
        await this.#d.repo.refundAttempt(challenge.id);
        return { status: 'pending' };
      }
      if (!(await this.#d.repo.consumeChallenge(challenge.id, now))) throw new PosternError('code_reused');
      if (!(await this.#d.repo.markVerified(v.id, factor.id, now))) throw new PosternError('verification_done');
      await this.#d.factors.setLastUsed(factor.id, now);
      return { status: 'verified', verification: { ...v, verifiedAt: now, verifiedFactorId: factor.id } };
    }

    // A refused signed answer (another origin, credential, a counter going back) is suspicious: the owner is told (X4).
    const reason = typeof outcome === 'string' ? outcome : outcome.refused;
    await this.#d.audit.record(account.id, 'second_factor_failed', request, { method: factor.kind, purpose: v.purpose, reason, ...(typeof outcome === 'object' && { suspicious: true }) });
    if (budget.used >= failuresPerWindow) {
      await this.#d.audit.record(account.id, 'second_factor_locked', request, { failures: budget.used });
      throw new PosternError('second_factor_locked', { minutes: Math.ceil(budget.retryAfterMs / 60_000) });
    }
    if (attempt >= attemptsPerChallenge) {
      await this.#d.factors.setBlockedUntil(factor.id, new Date(now.getTime() + cooldownMs));
      throw new PosternError('second_factor_attempts_exhausted', { seconds: cooldownMs / 1000 });
    }
    if (outcome === 'denied') {
      // Refused on the phone: this QR is done; a new one must be asked for.
      await this.#d.repo.consumeChallenge(challenge.id, now);
      throw new PosternError('approval_denied');
    }
    if (outcome === 'reused') throw new PosternError(method.reusedError ?? 'code_reused');
    if (outcome === 'expired') throw new PosternError('code_expired');
    if (method.style === 'key') throw new PosternError('key_refused');
    throw new PosternError('wrong_code', { left: attemptsPerChallenge - attempt });
  }

  /** Uses a verified verification up; false when it was already used (or never verified). */
  consume(v: VerificationRecord): Promise<boolean> {
    return this.#d.repo.consume(v.id, this.#d.clock.now());
  }

  /** Forgets verifications (and their challenges) that expired, and resend claims past their minute. */
  async removeExpired(): Promise<number> {
    const now = this.#d.clock.now();
    await this.#d.claims.removeBefore(new Date(now.getTime() - verificationLimits.cooldownMs));
    return this.#d.repo.removeExpired(now);
  }
}
