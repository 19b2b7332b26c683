import { PosternError } from './errors.ts';
import type { Json } from './methods.ts';
import type { Clock, FactorRepo } from './ports.ts';
import type { SecretBox } from './secretBox.ts';
import type { Verifications } from './verifications.ts';
import { miniProgramCode, sameKey, wechatUserKey, type WechatData } from './wechat.ts';
import type { WechatIdentity, WechatRequest, WechatStore } from './wechatPorts.ts';

export interface WechatApprovalDeps {
  store: WechatStore;
  factors: FactorRepo;
  box: SecretBox;
  verifications: Verifications;
  pepper: Buffer;
  clock: Clock;
}

/**
 * The phone's side of WeChat: what a scanned QR asks, authorising or refusing it, and the
 * mini-program "邮箱安全助手" (pending requests and current codes of the user's bound accounts).
 */
export class WechatApprovals {
  readonly #d: WechatApprovalDeps;

  constructor(deps: WechatApprovalDeps) {
    this.#d = deps;
  }

  /** The request behind a QR, while it can still be answered. */
  async request(challengeId: string): Promise<WechatRequest> {
    const r = await this.#d.store.getRequest(challengeId);
    if (!r) throw new PosternError('wechat_request_not_found');
    if (r.status !== 'pending') throw new PosternError('wechat_request_answered');
    if (r.expiresAt <= this.#d.clock.now()) throw new PosternError('wechat_request_expired');
    return r;
  }

  /**
   * The phone authorises or refuses a request. Binding takes whoever scans; anything else only
   * the WeChat user the factor is bound to (SPEC D3, C4).
   */
  async answer(challengeId: string, who: WechatIdentity, approve: boolean): Promise<WechatRequest> {
    const r = await this.request(challengeId);
    if (r.purpose !== 'bind') {
      const bound = await this.#d.store.userKeyOf(r.factorId);
      if (!bound || !sameKey(bound, wechatUserKey(this.#d.pepper, who.userId))) throw new PosternError('wechat_not_bound_user');
    }
    if (!(await this.#d.store.decide(challengeId, approve ? 'approved' : 'denied', this.#d.clock.now()))) throw new PosternError('wechat_request_answered');
    const state: Json = !approve
      ? { denied: true }
      : r.purpose === 'bind'
        ? { userId: who.userId, openid: who.openid }
        : { userKey: wechatUserKey(this.#d.pepper, who.userId) };
    if (!(await this.#d.verifications.approve(challengeId, state))) throw new PosternError('wechat_request_expired');
    return { ...r, status: approve ? 'approved' : 'denied' };
  }

  /** Requests waiting on the phone for the accounts this WeChat user is bound to. */
  async pendingFor(who: WechatIdentity): Promise<WechatRequest[]> {
    const bound = await this.#d.store.boundTo(wechatUserKey(this.#d.pepper, who.userId));
    return this.#d.store.pendingFor(bound.map((b) => b.factorId), this.#d.clock.now());
  }

  /** The current mini-program code of each account this WeChat user is bound to. */
  async codesFor(who: WechatIdentity): Promise<{ accountId: string; code: string; secondsLeft: number }[]> {
    const bound = await this.#d.store.boundTo(wechatUserKey(this.#d.pepper, who.userId));
    const now = this.#d.clock.now();
    const codes = [];
    for (const { factorId, accountId } of bound) {
      const factor = await this.#d.factors.get(factorId);
      if (!factor) continue;
      const data = JSON.parse(this.#d.box.open(factor.sealedData, factor.accountId)) as WechatData;
      codes.push({ accountId, ...miniProgramCode(data.secret, now) });
    }
    return codes;
  }
}
