import type { Audit, RequestInfo } from './audit.ts';
import type { DescribeUserAgent } from './requestPorts.ts';

/** How many recent events of the account a sign-in is compared with. */
export const recentEvents = 50;

/** Whether a sign-in of the account, from where `from` says, is from a new device (SPEC X4). */
export type IsNewDevice = (accountId: string, from: RequestInfo) => Promise<boolean>;

/**
 * A sign-in is from a new device when no successful sign-in among the account's recent events had
 * the same IP, OS and browser; the very first sign-in of an account has nothing to compare with and
 * is not new. The login flow asks once, before recording the sign-in, and the event says so
 * (`newDevice: true`): its notices then need not read the event and the history again.
 */
export function newDevices(audit: Pick<Audit, 'recentSignIns'>, describeUserAgent: DescribeUserAgent): IsNewDevice {
  return async (accountId, from) => {
    const earlier = await audit.recentSignIns(accountId, recentEvents);
    if (earlier.length === 0) return false;
    // The same User-Agent string is the same OS and browser: most sign-ins are decided without parsing one.
    if (earlier.some((e) => e.ip === from.ip && e.userAgent === from.userAgent)) return false;
    const client = (userAgent: string | null) => describeUserAgent(userAgent ?? undefined);
    const now = client(from.userAgent);
    return !earlier.some((e) => {
      if (e.ip !== from.ip) return false;
      const then = client(e.userAgent);
      return then.os === now.os && then.browser === now.browser;
    });
  };
}
