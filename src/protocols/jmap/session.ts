// RFC 8620 §2: the Session resource, and the limits it announces (each is enforced where it applies).
import { createHash } from 'node:crypto';
import type { AccountRecord } from '../../core/ports.ts';
import { memo } from '../../memo.ts';

export const capability = {
  core: 'urn:ietf:params:jmap:core',
  mail: 'urn:ietf:params:jmap:mail',
  submission: 'urn:ietf:params:jmap:submission',
  websocket: 'urn:ietf:params:jmap:websocket',
  vacationResponse: 'urn:ietf:params:jmap:vacationresponse',
} as const;

export const capabilities: string[] = Object.values(capability);

export const limits = {
  maxSizeUpload: 50 * 1024 * 1024,
  maxConcurrentUpload: 4,
  maxSizeRequest: 10 * 1024 * 1024,
  maxConcurrentRequests: 8,
  maxCallsInRequest: 32,
  maxObjectsInGet: 500,
  maxObjectsInSet: 500,
};

export const emailQuerySortOptions = ['receivedAt', 'sentAt', 'size', 'from', 'to', 'subject', 'hasKeyword'];

export const paths = {
  api: '/jmap/api',
  session: '/jmap/session',
  upload: '/jmap/upload/{accountId}',
  download: '/jmap/download/{accountId}/{blobId}/{name}?type={type}',
  eventSource: '/jmap/eventsource?types={types}&closeafter={closeafter}&ping={ping}',
  webSocket: '/jmap/ws',
};

/** The Session object for `account`, with URLs on the origin the client reached us at. */
export function sessionResource(account: Pick<AccountRecord, 'id' | 'address'>, origin: string) {
  const wsOrigin = origin.replace(/^http/, 'ws');
  const mail = { maxMailboxesPerEmail: null, maxMailboxDepth: 10, maxSizeMailboxName: 490, maxSizeAttachmentsPerEmail: limits.maxSizeUpload, emailQuerySortOptions, mayCreateTopLevelMailbox: true };
  const session = {
    capabilities: {
      [capability.core]: { ...limits, collationAlgorithms: ['i;ascii-casemap', 'i;unicode-casemap'] },
      [capability.mail]: {},
      [capability.submission]: {},
      [capability.websocket]: { url: wsOrigin + paths.webSocket, supportsPush: true },
      [capability.vacationResponse]: {},
    },
    accounts: {
      [account.id]: {
        name: account.address,
        isPersonal: true,
        isReadOnly: false,
        accountCapabilities: { [capability.mail]: mail, [capability.submission]: { maxDelayedSend: 0, submissionExtensions: {} }, [capability.vacationResponse]: {} },
      },
    },
    primaryAccounts: { [capability.mail]: account.id, [capability.submission]: account.id, [capability.vacationResponse]: account.id },
    username: account.address,
    apiUrl: origin + paths.api,
    downloadUrl: origin + paths.download,
    uploadUrl: origin + paths.upload,
    eventSourceUrl: origin + paths.eventSource,
  };
  return { ...session, state: createHash('sha256').update(JSON.stringify(session)).digest('base64url').slice(0, 16) };
}

const states = memo(1000, (key) => {
  const [id, address, origin] = JSON.parse(key) as [string, string, string];
  return sessionResource({ id, address }, origin).state;
});

/** The Session's state, which every API response carries: hashed once per account and origin, not per request. */
export const sessionState = (account: Pick<AccountRecord, 'id' | 'address'>, origin: string): string => states(JSON.stringify([account.id, account.address, origin]));
