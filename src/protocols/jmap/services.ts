import type { Context } from '../../context.ts';
import type { AccountRecord } from '../../core/ports.ts';
import type { MethodSpec } from './engine.ts';

/** What a JMAP method works with: the node's context and the signed-in account. */
export interface Services {
  ctx: Context;
  account: AccountRecord;
  /** The client's address, for the Received header of what it sends. */
  remoteIp: string;
}

export type Method = MethodSpec<Services>;
