import { randomBytes } from 'node:crypto';
import type { Lang } from '../i18n/index.ts';
import type { Audit, RequestInfo } from './audit.ts';
import { PosternError } from './errors.ts';
import type { Json, MethodRegistry, MethodStyle } from './methods.ts';
import { recoveryCodeCount, recoveryCodesLeft, recoveryCodesLow } from './recoveryCodes.ts';
import { methodKinds, noTransactions, type AccountRecord, type Atomic, type Clock, type FactorRecord, type FactorRepo, type MethodKind, type TwoFactorState, type VerificationRecord } from './ports.ts';
import type { SecretBox } from './secretBox.ts';
import type { TrustedDevices } from './trustedDevices.ts';
import { verificationLimits, type Verifications } from './verifications.ts';

export interface FactorView {
  id: string;
  kind: MethodKind;
  /** How the page asks for the answer: send a code, type an app's code, or show a QR and wait. */
  style: MethodStyle;
  label: string;
  boundAt: string;
  lastUsedAt: string | null;
  /** The method's word about this factor (a key's kind: platform, cross-platform, synced). */
  hint: string | null;
}

/** A method that may answer a verification; `resendIn`: seconds before a code can be sent for it (0: now). */
export interface AnswerView extends FactorView {
  resendIn: number;
}

/** A verification as the page sees it: which methods may answer, which one to show first. */
export interface VerificationView {
  id: string;
  purpose: VerificationRecord['purpose'];
  methods: AnswerView[];
  default: string | null;
  expiresAt: string;
}

export type CheckDone =
  | { status: 'pending' }
  /** `turnedOn`: this bind switched 2FA on (the session id is then rotated, SPEC X9). */
  | { status: 'verified'; purpose: VerificationRecord['purpose']; verification: VerificationRecord; twoFactorOn: boolean; turnedOn: boolean };

export interface TwoFactorDeps {
  factors: FactorRepo;
  verifications: Verifications;
  methods: MethodRegistry;
  trusted: TrustedDevices;
  audit: Audit;
  box: SecretBox;
  clock: Clock;
  /** A bind or unbind and its event (whose notice is a side effect written with it) commit together. */
  atomic?: Atomic;
}

function view(methods: MethodRegistry, box: SecretBox, f: FactorRecord): FactorView {
  const method = methods.has(f.kind) ? methods.get(f.kind) : undefined;
  return {
    id: f.id,
    kind: f.kind,
    style: method?.style ?? 'code',
    label: f.label,
    boundAt: (f.confirmedAt ?? f.createdAt).toISOString(),
    lastUsedAt: f.lastUsedAt?.toISOString() ?? null,
    hint: method?.hint ? method.hint(JSON.parse(box.open(f.sealedData, f.accountId)) as Json) : null,
  };
}

/** The user's default method: the one used last, else the first bound. */
function defaultOf(factors: FactorRecord[]): string | null {
  const used = factors.filter((f) => f.lastUsedAt).sort((a, b) => b.lastUsedAt!.getTime() - a.lastUsedAt!.getTime());
  return (used[0] ?? factors[0])?.id ?? null;
}

/** Recovery codes back the other methods up; alone they are no second step (SPEC X2). */
const isSecondFactorKind = (kind: MethodKind): boolean => kind !== 'recovery';
const isSecondFactor = (f: FactorRecord): boolean => isSecondFactorKind(f.kind);

/** 2FA is on iff at least one method other than recovery codes is bound (SPEC B6, D9, X2). */
export const twoFactorOnWith = (boundKinds: MethodKind[]): boolean => boundKinds.some(isSecondFactorKind);

/** Two-step verification of an account: its bound methods and the flows that change them (SPEC B, C, D). */
export class TwoFactor implements TwoFactorState {
  readonly #d: TwoFactorDeps;

  constructor(deps: TwoFactorDeps) {
    this.#d = deps;
  }

  get verifications(): Verifications {
    return this.#d.verifications;
  }

  async isOn(accountId: string): Promise<boolean> {
    return twoFactorOnWith((await this.#d.factors.listConfirmed(accountId)).map((f) => f.kind));
  }

  async isBound(accountId: string, kind: MethodKind): Promise<boolean> {
    return (await this.#d.factors.listConfirmed(accountId)).some((f) => f.kind === kind);
  }

  /** The bound backup address, where security notices also go (SPEC X4). */
  async backupEmail(accountId: string): Promise<string | null> {
    const factor = (await this.#d.factors.listConfirmed(accountId)).find((f) => f.kind === 'backupEmail');
    if (!factor) return null;
    const { address } = JSON.parse(this.#d.box.open(factor.sealedData, accountId)) as { address?: unknown };
    return typeof address === 'string' ? address : null;
  }

  /**
   * The help desk's reset after an identity check (SPEC X5): every method goes, bound or pending, so
   * 2FA is off, and every trusted device with it. The kinds that were bound are returned.
   */
  async resetAll(accountId: string, request: RequestInfo): Promise<{ methods: MethodKind[]; trustedDevices: number }> {
    const bound = await this.#d.factors.listConfirmed(accountId);
    await this.#d.factors.removeAll(accountId);
    const trustedDevices = await this.#d.trusted.removeAll(accountId, request, 'admin_reset_2fa');
    return { methods: bound.map((f) => f.kind), trustedDevices };
  }

  /** Every known method, bound or not, and whether this server offers it (SPEC A4); recovery codes apart (X2). */
  async overview(accountId: string) {
    const bound = await this.#d.factors.listConfirmed(accountId);
    const recovery = bound.find((f) => !isSecondFactor(f));
    const left = recovery ? recoveryCodesLeft(JSON.parse(this.#d.box.open(recovery.sealedData, accountId)) as Json) : 0;
    return {
      on: bound.some(isSecondFactor),
      methods: methodKinds
        .filter((kind) => kind !== 'recovery')
        .map((kind) => {
          const factors = bound.filter((f) => f.kind === kind).map((f) => view(this.#d.methods, this.#d.box, f));
          const several = this.#d.methods.has(kind) && !!this.#d.methods.get(kind).several;
          return { kind, available: this.#d.methods.has(kind), several, factor: factors[0] ?? null, factors };
        }),
      recovery: recovery ? { left, total: recoveryCodeCount, low: left <= recoveryCodesLow, generatedAt: (recovery.confirmedAt ?? recovery.createdAt).toISOString() } : null,
    };
  }

  /**
   * (Re)generates the recovery codes — the caller has checked sudo mode (core/stepUp.ts): the new set
   * replaces the old one at once. Only while 2FA is on. The codes are returned this once.
   */
  async generateRecoveryCodes(account: AccountRecord, request: RequestInfo): Promise<{ codes: string[] }> {
    if (!(await this.isOn(account.id))) throw new PosternError('recovery_codes_need_two_factor');
    const replaced = (await this.#d.factors.listConfirmed(account.id)).some((f) => !isSecondFactor(f));
    const now = this.#d.clock.now();
    const prepared = await this.#d.methods.get('recovery').prepare(null, account, now);
    const factor = this.#newFactor(account, 'recovery', prepared.label, prepared.data, now);
    await this.#d.factors.insert(factor);
    if (!(await this.#d.factors.confirm(factor.id, now))) throw new PosternError('verification_done');
    await this.#d.audit.record(account.id, replaced ? 'method_changed' : 'method_bound', request, { method: 'recovery' });
    return prepared.display as { codes: string[] };
  }

  #newFactor(account: AccountRecord, kind: MethodKind, label: string, data: Json, now: Date): FactorRecord {
    return {
      id: randomBytes(12).toString('base64url'),
      accountId: account.id,
      kind,
      label,
      sealedData: this.#d.box.seal(JSON.stringify(data), account.id),
      counter: null,
      confirmedAt: null,
      blockedUntil: null,
      lastUsedAt: null,
      createdAt: now,
    };
  }

  /** A verification as the page shows it: the methods that may answer it, the one to offer first. */
  async verificationView(v: VerificationRecord): Promise<VerificationView> {
    const found = (await Promise.all(v.factorIds.map((id) => this.#d.factors.get(id)))).filter((f): f is FactorRecord => !!f);
    // Recovery codes come last and are never offered first: they are for when the rest is lost.
    const factors = [...found.filter(isSecondFactor), ...found.filter((f) => !isSecondFactor(f))];
    // Unbinding and changing offer the method concerned first (guide §4: "通过原…或其他已绑定验证方式").
    const first = factors.some((f) => f.id === v.targetId) ? v.targetId : (defaultOf(factors.filter(isSecondFactor)) ?? defaultOf(factors));
    const methods = await Promise.all(factors.map(async (f) => ({ ...view(this.#d.methods, this.#d.box, f), resendIn: await this.#d.verifications.resendIn(v, f) })));
    return { id: v.id, purpose: v.purpose, methods, default: first, expiresAt: v.expiresAt.toISOString() };
  }

  async #bound(accountId: string, factorId: string): Promise<FactorRecord> {
    const factor = await this.#d.factors.get(factorId);
    if (!factor || factor.accountId !== accountId || !factor.confirmedAt) throw new PosternError('method_not_bound');
    return factor;
  }

  /** Old pending binds and expired verifications go when new ones are made: no timer needed. */
  async #sweep(): Promise<void> {
    const before = new Date(this.#d.clock.now().getTime() - verificationLimits.ttlMs);
    await this.#d.factors.removeStalePending(before);
    await this.#d.verifications.removeExpired();
  }

  /**
   * A verification that any bound method may answer (login step 2, step-up), only while 2FA is on.
   * `bindToBrowser`: it is found by the token returned, not by id (the pending login, SPEC C1 C2).
   */
  async beginAnyMethod(account: AccountRecord, purpose: 'login' | 'step_up', options: { bindToBrowser?: boolean } = {}): Promise<{ token?: string; view: VerificationView }> {
    const factors = await this.#d.factors.listConfirmed(account.id);
    if (!factors.some(isSecondFactor)) throw new PosternError('two_factor_off');
    await this.#sweep();
    const { verification, token } = await this.#d.verifications.create(account.id, purpose, factors.map((f) => f.id), options);
    return { token, view: await this.verificationView(verification) };
  }

  /**
   * Whether binding `kind` needs sudo mode (SPEC X9): a new factor does (another key too); a
   * replacement is proven by its own verified change instead.
   */
  async bindNeedsStepUp(accountId: string, kind: MethodKind, changeId?: string): Promise<boolean> {
    if (changeId) return false;
    return (this.#d.methods.has(kind) && !!this.#d.methods.get(kind).several) || !(await this.isBound(accountId, kind));
  }

  /**
   * Starts binding `kind`: the method checks `input` and a pending factor is stored; binding completes
   * when its verification is answered. A kind already bound is changed only with a verified
   * `change` verification of it (SPEC D2, D4, D6, D8); the old factor stays valid until then.
   * Of a kind bound several times (security keys) another one may be added, or the one a change
   * names replaced.
   */
  async beginBind(account: AccountRecord, kind: MethodKind, input: unknown, request: RequestInfo, lang: Lang, changeId?: string) {
    if (kind === 'recovery') throw new PosternError('method_not_allowed');
    const method = this.#d.methods.get(kind);
    const ofKind = (await this.#d.factors.listConfirmed(account.id)).filter((f) => f.kind === kind);
    // Another key is simply added; of other kinds the one bound is replaced.
    const current = method.several ? (changeId ? ofKind : []) : ofKind.slice(0, 1);
    if (current.length > 0 || changeId) {
      if (!changeId) throw new PosternError('method_already_bound');
      const change = await this.#d.verifications.get(account.id, changeId);
      if (change.purpose !== 'change' || !current.some((f) => f.id === change.targetId) || !change.verifiedAt) throw new PosternError('verification_required');
    }
    await this.#sweep();
    const now = this.#d.clock.now();
    const prepared = await method.prepare(input, account, now);
    const factor = this.#newFactor(account, kind, prepared.label, prepared.data, now);
    await this.#d.factors.insert(factor);
    // The change is used up when a bind completes, not here: a failed send or a typo must not cost it.
    const { verification } = await this.#d.verifications.create(account.id, 'bind', [factor.id], { targetId: factor.id, parentId: changeId });
    const started = method.style === 'app' ? undefined : await this.#d.verifications.start(account, verification, factor.id, request, lang);
    return { verificationId: verification.id, factorId: factor.id, display: prepared.display, challenge: started?.display ?? null, resendIn: started?.resendIn ?? 0 };
  }

  /** Renames a factor of a kind bound several times (a key: 办公室 YubiKey). */
  async rename(account: AccountRecord, factorId: string, input: unknown): Promise<void> {
    const factor = await this.#bound(account.id, factorId);
    const method = this.#d.methods.get(factor.kind);
    if (!method.several) throw new PosternError('method_not_allowed');
    const { label } = await method.prepare(input, account, this.#d.clock.now());
    if (!(await this.#d.factors.setLabel(account.id, factor.id, label))) throw new PosternError('method_not_bound');
  }

  /** Unbinding is verified by the method being removed only (SPEC D1, D3, D5, D7). */
  async beginUnbind(account: AccountRecord, factorId: string): Promise<VerificationView> {
    const factor = await this.#bound(account.id, factorId);
    const { verification } = await this.#d.verifications.create(account.id, 'unbind', [factor.id], { targetId: factor.id });
    return this.verificationView(verification);
  }

  /** Changing is verified by the method itself or any other bound method. */
  async beginChange(account: AccountRecord, factorId: string): Promise<VerificationView> {
    const factor = await this.#bound(account.id, factorId);
    const all = await this.#d.factors.listConfirmed(account.id);
    const { verification } = await this.#d.verifications.create(account.id, 'change', all.map((f) => f.id), { targetId: factor.id });
    return this.verificationView(verification);
  }

  /** Asks a signed-in user to verify again before a sensitive action, with any bound method. */
  async beginStepUp(account: AccountRecord): Promise<VerificationView> {
    return (await this.beginAnyMethod(account, 'step_up')).view;
  }

  /** Uses up a verified step-up of this account: true once; the action it guards may then proceed. */
  async useStepUp(account: AccountRecord, verificationId: string): Promise<boolean> {
    const v = await this.#d.verifications.get(account.id, verificationId);
    return v.purpose === 'step_up' && !!v.verifiedAt && (await this.#d.verifications.consume(v));
  }

  async start(account: AccountRecord, v: VerificationRecord, factorId: string, request: RequestInfo, lang: Lang) {
    return this.#d.verifications.start(account, v, factorId, request, lang);
  }

  /** Answers a verification and, once verified, does what it was for (bind, unbind). */
  async check(account: AccountRecord, v: VerificationRecord, factorId: string, response: string, request: RequestInfo, lang: Lang): Promise<CheckDone> {
    const result = await this.#d.verifications.check(account, v, factorId, response, request, lang);
    if (result.status === 'pending') return result;
    const verified = result.verification;
    const wasOn = await this.isOn(account.id);
    const atomic = this.#d.atomic ?? noTransactions;
    if (verified.purpose === 'bind') await atomic.run(() => this.#completeBind(account, verified, request));
    if (verified.purpose === 'unbind') await atomic.run(() => this.#completeUnbind(account, verified, request));
    const twoFactorOn = await this.isOn(account.id);
    return { status: 'verified', purpose: verified.purpose, verification: verified, twoFactorOn, turnedOn: !wasOn && twoFactorOn };
  }

  async #completeBind(account: AccountRecord, v: VerificationRecord, request: RequestInfo): Promise<void> {
    const pending = await this.#d.factors.get(v.targetId!);
    const several = !!pending && this.#d.methods.has(pending.kind) && !!this.#d.methods.get(pending.kind).several;
    const replaced = several ? !!v.parentId : (await this.#d.factors.listConfirmed(account.id)).some((f) => f.kind === pending?.kind);
    // Replacing needs the change this bind was started with, and of its binds only one completes.
    if (replaced && !v.parentId) throw new PosternError('method_already_bound');
    const change = v.parentId ? await this.#d.verifications.get(account.id, v.parentId) : undefined;
    if (change && !(await this.#d.verifications.consume(change))) throw new PosternError('verification_done');
    // A key replaces only the one its change named; another method replaces whatever of its kind is bound.
    const replaces = several ? (change?.targetId ?? null) : undefined;
    if (!pending || !(await this.#d.verifications.consume(v)) || !(await this.#d.factors.confirm(pending.id, this.#d.clock.now(), replaces))) {
      throw new PosternError('verification_done');
    }
    await this.#d.audit.record(account.id, replaced ? 'method_changed' : 'method_bound', request, { method: pending.kind });
    await this.#d.trusted.removeAll(account.id, request, replaced ? 'method_changed' : 'method_bound');
  }

  async #completeUnbind(account: AccountRecord, v: VerificationRecord, request: RequestInfo): Promise<void> {
    const factor = await this.#d.factors.get(v.targetId!);
    if (!factor || !(await this.#d.verifications.consume(v)) || !(await this.#d.factors.remove(account.id, factor.id))) {
      throw new PosternError('verification_done');
    }
    await this.#d.audit.record(account.id, 'method_unbound', request, { method: factor.kind });
    // With the last method gone 2FA is off: leftover recovery codes must not come back with the next one.
    const left = await this.#d.factors.listConfirmed(account.id);
    if (!left.some(isSecondFactor)) for (const f of left) await this.#d.factors.remove(account.id, f.id);
    await this.#d.trusted.removeAll(account.id, request, 'method_unbound');
  }
}
