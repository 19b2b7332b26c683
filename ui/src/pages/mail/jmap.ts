// The webmail's JMAP client: the session cookie and the CSRF header go with every call (api.ts), so
// the browser reaches JMAP only after the whole login flow, second step included (SPEC C1, M3).
import { api, csrfHeaders } from '../../api.ts';

const mailCapability = 'urn:ietf:params:jmap:mail';
const using = ['urn:ietf:params:jmap:core', mailCapability, 'urn:ietf:params:jmap:submission'];

export type Args = Record<string, unknown>;
// JMAP answers are open objects; each caller reads the few fields it asked for.
export type Result = Record<string, any>;

export interface JmapSession {
  accountId: string;
  username: string;
  maxSizeUpload: number;
  maxSizeAttachmentsPerEmail: number;
  capabilities: string[];
}

interface SessionResource {
  primaryAccounts: Record<string, string>;
  username: string;
  capabilities: Record<string, Result>;
  accounts: Record<string, { accountCapabilities: Record<string, Result> }>;
}

let session: Promise<JmapSession> | null = null;

export function jmapSession(): Promise<JmapSession> {
  session ??= api
    .get<SessionResource>('/jmap/session')
    .then((s) => {
      const accountId = s.primaryAccounts[mailCapability];
      const mail = s.accounts[accountId]?.accountCapabilities[mailCapability] ?? {};
      const core = s.capabilities['urn:ietf:params:jmap:core'] ?? {};
      return {
        accountId,
        username: s.username,
        maxSizeUpload: Number(core.maxSizeUpload ?? 0),
        maxSizeAttachmentsPerEmail: Number(mail.maxSizeAttachmentsPerEmail ?? core.maxSizeUpload ?? 0),
        capabilities: Object.keys(s.capabilities),
      };
    })
    .catch((err: unknown) => {
      session = null;
      throw err;
    });
  return session;
}

/** A method call the server refused (RFC 8620 §3.6.2), with its error type. */
export class JmapError extends Error {
  readonly type: string;
  constructor(type: string, description?: string) {
    super(description ? `${type}: ${description}` : type);
    this.type = type;
  }
}

/**
 * Runs method calls in one request; call i has id `String(i)` for result references. Returns each
 * call's own response (an `error` response throws).
 */
export async function jmap(calls: [string, Args][], capabilities: string[] = []): Promise<Result[]> {
  const { accountId } = await jmapSession();
  const methodCalls = calls.map(([name, args], i) => [name, { accountId, ...args }, String(i)]);
  const reply = await api.post<{ methodResponses: [string, Result, string][] }>('/jmap/api', { using: [...using, ...capabilities], methodCalls });
  return calls.map(([name], i) => {
    const own = reply.methodResponses.find((r) => r[2] === String(i) && (r[0] === name || r[0] === 'error'));
    if (!own) throw new JmapError('serverFail', `no response to ${name}`);
    if (own[0] === 'error') throw new JmapError(String(own[1].type), own[1].description);
    return own[1];
  });
}

/** A `#ids` result reference to the ids found by call `index`. */
export const idsOf = (index: number, name: string, path = '/ids') => ({ resultOf: String(index), name, path });

/** Uploads a file (RFC 8620 §6.1), reporting progress from 0 to 1. */
export async function upload(file: Blob, onProgress: (fraction: number) => void): Promise<{ blobId: string; type: string; size: number }> {
  const { accountId } = await jmapSession();
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/jmap/upload/${encodeURIComponent(accountId)}`);
    for (const [k, v] of Object.entries(csrfHeaders())) xhr.setRequestHeader(k, v);
    xhr.setRequestHeader('content-type', file.type || 'application/octet-stream');
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => (xhr.status === 201 ? resolve(JSON.parse(xhr.responseText)) : reject(new JmapError(xhr.status === 413 ? 'tooLarge' : 'uploadFailed')));
    xhr.onerror = () => reject(new JmapError('network'));
    xhr.send(file);
  });
}

/** Where a blob downloads from (same origin: the session cookie goes along). */
export async function downloadUrl(blobId: string, name: string, type: string): Promise<string> {
  const { accountId } = await jmapSession();
  return `/jmap/download/${encodeURIComponent(accountId)}/${encodeURIComponent(blobId)}/${encodeURIComponent(name || 'download')}?type=${encodeURIComponent(type)}`;
}

/** A blob's bytes as a data: URL (inline images inside the sandboxed mail frame, which has no cookie). */
export async function blobAsDataUrl(blobId: string, type: string): Promise<string> {
  const response = await fetch(await downloadUrl(blobId, 'inline', type), { credentials: 'same-origin' });
  if (!response.ok) throw new JmapError('blobNotFound');
  const blob = await response.blob();
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(new JmapError('blobNotFound'));
    reader.readAsDataURL(new Blob([blob], { type }));
  });
}
