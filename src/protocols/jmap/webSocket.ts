// RFC 8887: JMAP over WebSocket (subprotocol `jmap`): Request → Response, and push of StateChange
// after WebSocketPushEnable. Credentials are checked again every few seconds (SPEC X9).
import type { WebSocket } from 'ws';
import type { Context } from '../../context.ts';
import type { JmapUser } from './auth.ts';
import { parseRequest, runRequest } from './engine.ts';
import { RequestProblem } from './errors.ts';
import { methods } from './methods/index.ts';
import { recheckMs } from './push.ts';
import { sessionState } from './session.ts';
import { parseTypes, watchAccount, type Watch } from './watch.ts';

export const webSocketProtocol = 'jmap';

export function serveWebSocket(ctx: Context, user: JmapUser, socket: WebSocket, remoteIp: string, origin: string): void {
  const { account } = user;
  let watch: Watch | null = null;
  const send = (message: unknown) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };
  const stopPush = () => {
    watch?.close();
    watch = null;
  };
  const recheck = setInterval(() => {
    user.stillValid().then(
      (ok) => ok || socket.close(1008, 'credentials revoked'),
      () => socket.close(1011),
    );
  }, recheckMs);
  recheck.unref();
  socket.on('close', () => {
    clearInterval(recheck);
    stopPush();
  });

  socket.on('message', (data, isBinary) => {
    void (async () => {
      let message: { '@type'?: unknown; id?: unknown; dataTypes?: unknown };
      try {
        if (isBinary) throw new Error('binary');
        message = JSON.parse(data.toString());
      } catch {
        return send({ '@type': 'RequestError', ...new RequestProblem('notJSON', 'Messages are JSON text.').body() });
      }
      const requestId = typeof message.id === 'string' ? message.id : undefined;
      if (message['@type'] === 'WebSocketPushEnable') {
        stopPush();
        watch = await watchAccount(ctx, account.id, parseTypes(message.dataTypes), (change) => send(change));
        return;
      }
      if (message['@type'] === 'WebSocketPushDisable') return stopPush();
      if (message['@type'] !== 'Request') return send({ '@type': 'RequestError', requestId, ...new RequestProblem('notRequest', 'Unknown message type.').body() });
      try {
        const result = await runRequest(parseRequest(message), account.id, methods, { ctx, account, remoteIp }, (err) => ctx.log.error({ err }, 'jmap method failed'));
        send({ '@type': 'Response', requestId, ...result, sessionState: sessionState(account, origin) });
      } catch (err) {
        if (err instanceof RequestProblem) return send({ '@type': 'RequestError', requestId, ...err.body() });
        ctx.log.error({ err }, 'jmap websocket request failed');
        send({ '@type': 'RequestError', requestId, type: 'about:blank', status: 500, detail: 'Internal error.' });
      }
    })();
  });
}
