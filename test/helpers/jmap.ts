// Talking JMAP to a running Postern with plain fetch: the request shapes of the RFC examples.
import { after, before, describe } from 'node:test';
import { testPostern } from './context.ts';
import { testPostgresUrl, withSchemaLock } from './db.ts';
export interface JmapHttp {
  url: string;
  authorization: string;
  call(methodCalls: unknown[], using?: string[]): Promise<{ status: number; body: any }>;
  post(body: string, contentType?: string): Promise<{ status: number; body: any }>;
}

export const using = ['urn:ietf:params:jmap:core', 'urn:ietf:params:jmap:mail', 'urn:ietf:params:jmap:submission'];

export function jmapHttp(url: string, username: string, password: string): JmapHttp {
  const authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  const post = async (body: string, contentType = 'application/json') => {
    const res = await fetch(`${url}/jmap/api`, { method: 'POST', headers: { authorization, 'content-type': contentType }, body });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  return { url, authorization, post, call: (methodCalls, u = using) => post(JSON.stringify({ using: u, methodCalls })) };
}

type Postern = Awaited<ReturnType<typeof testPostern>>;

/** The same suite against a whole Postern on SQLite and on PostgreSQL (a fresh schema). */
export function forEachPostern(title: string, suite: (get: () => Postern) => void): void {
  for (const kind of ['sqlite', 'postgres'] as const) {
    describe(`${title} [${kind}]`, () => {
      let env: Postern;
      let drop = async () => {};
      before(async () => {
        if (kind === 'sqlite') {
          env = await testPostern();
          return;
        }
        const schema = `postern_jmap_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
        env = await withSchemaLock(async (client) => {
          await client.query(`CREATE SCHEMA "${schema}"`);
          return testPostern({ schema }, { POSTERN_DATABASE_URL: testPostgresUrl });
        });
        drop = () => withSchemaLock((client) => client.query(`DROP SCHEMA "${schema}" CASCADE`)).then(() => {});
      });
      after(async () => {
        await env.cleanup();
        await drop();
      });
      suite(() => env);
    });
  }
}
