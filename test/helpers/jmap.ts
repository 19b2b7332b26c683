// Talking JMAP to a running Postern with plain fetch: the request shapes of the RFC examples.
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
