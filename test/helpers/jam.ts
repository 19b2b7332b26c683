// jmap-jam, the JMAP client the tests drive Postern with. Its types ship as TypeScript sources
// (jmap-rfc-types, with enums) that this project's erasable-syntax-only check refuses, so the
// client is typed here by what the tests use.
import { eventSourceWithAuth } from './eventSource.ts';

export interface Jam {
  session: Promise<any>;
  api: Record<string, Record<string, (args: Record<string, unknown>) => Promise<[any, any]>>>;
  requestMany(build: (t: any) => Record<string, unknown>): Promise<[Record<string, any>, any]>;
  getPrimaryAccount(): Promise<string>;
  uploadBlob(accountId: string, body: Blob): Promise<{ blobId: string; size: number; type: string }>;
  downloadBlob(o: { accountId: string; blobId: string; mimeType: string; fileName: string }): Promise<Response>;
  connectEventSource(o: { types: string[] | '*'; ping: number; closeafter?: 'state' | 'no' }): Promise<EventTarget & { close(): void }>;
}

const moduleName = 'jmap-jam';

/** A jmap-jam client logged in with HTTP Basic and a client-specific password (Jam itself speaks Bearer). */
export async function jamClient(baseUrl: string, username: string, password: string): Promise<Jam> {
  const { default: JamClient } = (await import(moduleName)) as { default: any };
  const authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  const sessionUrl = `${baseUrl}/.well-known/jmap`;
  const jam = new JamClient({ sessionUrl, bearerToken: 'unused' });
  jam.authHeader = authorization;
  jam.session = JamClient.loadSession(sessionUrl, authorization);
  (globalThis as { EventSource?: unknown }).EventSource = eventSourceWithAuth(authorization);
  return jam as Jam;
}
