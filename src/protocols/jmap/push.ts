// RFC 8620 §7.3: push over EventSource. Credentials are checked again every few seconds, so a
// revoked password or ended session closes the stream (SPEC X9).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Context } from '../../context.ts';
import type { JmapUser } from './auth.ts';
import { parseTypes, watchAccount } from './watch.ts';

export const recheckMs = 4000;

export async function eventSource(ctx: Context, user: JmapUser, request: FastifyRequest, reply: FastifyReply) {
  const q = request.query as { types?: string; closeafter?: string; ping?: string };
  const closeAfterState = q.closeafter === 'state';
  const ping = Math.min(Math.max(Number.parseInt(q.ping ?? '0', 10) || 0, 0), 3600);
  const types = parseTypes(q.types);
  const res = reply.raw;
  let watch: { close(): void } | null = null;
  const timers: NodeJS.Timeout[] = [];
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    watch?.close();
    for (const t of timers) clearInterval(t);
    res.end();
  };
  const send = (event: string, data: unknown) => {
    if (!ended) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  reply.hijack();
  request.raw.on('close', end);
  watch = await watchAccount(ctx, user.account.id, types, (change) => {
    send('state', change);
    if (closeAfterState) end();
  });
  if (ended) return watch.close();
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  res.write(': postern\n\n');
  if (ping > 0) timers.push(setInterval(() => send('ping', { interval: ping }), ping * 1000).unref());
  timers.push(
    setInterval(() => {
      user.stillValid().then(
        (ok) => ok || end(),
        () => end(),
      );
    }, recheckMs).unref(),
  );
}
