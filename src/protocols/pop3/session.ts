// One POP3 connection (RFC 1939, CAPA from RFC 2449, STLS from RFC 2595): AUTHORIZATION →
// TRANSACTION → UPDATE, where deletions take effect only at QUIT.
import type net from 'node:net';
import type { Logger } from 'pino';
import { authFailureText, decodeSaslPlain, delay, logLogin, tooManyForAccount } from '../authReplies.ts';
import { upgradeToTls, type ProtocolContext } from '../listener.ts';
import type { Maildrop, Pop3Backend } from './backend.ts';
import { LineReader } from './lineReader.ts';
import { messageKey, PosternError } from '../../core/errors.ts';
import { t } from '../../i18n/index.ts';

export interface Pop3Limits {
  maxLineBytes: number;
  idleTimeoutMs: number;
  authFailureDelayMs: number;
  maxAuthFailures: number;
  /** Before login, per client IP; after login per account and client IP (see the IMAP limits). */
  maxConnectionsPerIp: number;
  maxConnectionsPerUserIp: number;
}

export const defaultPop3Limits: Pop3Limits = {
  maxLineBytes: 1024,
  idleTimeoutMs: 30 * 60_000,
  authFailureDelayMs: 2000,
  maxAuthFailures: 3,
  maxConnectionsPerIp: 1000,
  maxConnectionsPerUserIp: 20,
};

export type Pop3Context = ProtocolContext<Pop3Backend, Pop3Limits>;

/** Dot-stuffs a message for a multi-line response and appends the terminator. */
export function dotStuff(raw: Buffer): Buffer {
  const text = raw.toString('latin1');
  let stuffed = text.replace(/(^|\n)\./g, '$1..');
  if (!stuffed.endsWith('\n')) stuffed += '\r\n';
  return Buffer.from(stuffed + '.\r\n', 'latin1');
}

function topOf(raw: Buffer, lines: number): Buffer {
  const text = raw.toString('latin1');
  const m = /\r?\n\r?\n/.exec(text);
  if (!m) return raw;
  const headerEnd = m.index + m[0].length;
  let pos = headerEnd;
  for (let i = 0; i < lines && pos < text.length; i++) {
    const lf = text.indexOf('\n', pos);
    pos = lf < 0 ? text.length : lf + 1;
  }
  return raw.subarray(0, pos);
}

export class Pop3Session {
  socket: net.Socket;
  readonly ctx: Pop3Context;
  readonly log: Logger;
  readonly remoteIp: string;
  secure: boolean;
  #state: 'authorization' | 'transaction' | 'closed' = 'authorization';
  #user: string | null = null;
  #accountId = '';
  #drop: Maildrop | null = null;
  #deleted = new Set<number>();
  #failures = 0;
  #queue: string[] = [];
  #busy = false;
  #reader: LineReader;
  /** Set while AUTH waits for the client's response line. */
  #continuation: ((line: string) => void) | null = null;
  #untrack: (() => void) | null = null;

  constructor(socket: net.Socket, secure: boolean, ctx: Pop3Context, log: Logger, ip: string) {
    this.socket = socket;
    this.secure = secure;
    this.ctx = ctx;
    this.log = log;
    this.remoteIp = ip;
    this.#reader = this.#newReader();
    this.#attach(socket);
    socket.once('close', () => this.#untrack?.());
  }

  start(): void {
    this.#write(`+OK ${this.ctx.hostname} Postern POP3 ready\r\n`);
  }

  #newReader(): LineReader {
    return new LineReader(this.ctx.limits.maxLineBytes, (line) => this.#receive(line), () => this.#close('-ERR Line too long\r\n'));
  }

  #attach(socket: net.Socket): void {
    socket.on('data', (chunk: Buffer) => this.#reader.push(chunk));
    socket.on('timeout', () => this.#close('-ERR Idle timeout\r\n'));
    socket.setTimeout(this.ctx.limits.idleTimeoutMs);
  }

  get #authAllowed(): boolean {
    return this.secure || (this.ctx.allowPlaintextAuth && !this.ctx.secureContext);
  }

  #write(data: string | Buffer): boolean {
    if (this.#state === 'closed' || this.socket.destroyed) return false;
    return this.socket.write(data);
  }

  async #writeAndDrain(data: Buffer): Promise<void> {
    if (!this.#write(data) && !this.socket.destroyed) {
      await new Promise<void>((resolve) => {
        this.socket.once('drain', resolve);
        this.socket.once('close', resolve);
      });
    }
  }

  #close(farewell: string): void {
    if (this.#state === 'closed') return;
    this.socket.end(farewell);
    this.#state = 'closed';
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  #receive(line: string): void {
    if (this.#continuation) {
      const resume = this.#continuation;
      this.#continuation = null;
      return resume(line);
    }
    this.#queue.push(line);
    if (this.#queue.length > 8) this.socket.pause();
    if (!this.#busy) void this.#pump();
  }

  async #pump(): Promise<void> {
    this.#busy = true;
    while (this.#queue.length && this.#state !== 'closed') {
      const line = this.#queue.shift()!;
      if (this.#queue.length <= 4) this.socket.resume();
      try {
        await this.#run(line);
      } catch (err) {
        if (err instanceof PosternError && err.code === 'unavailable') {
          // RFC 3206: a temporary system problem; the client may retry.
          this.#write(`-ERR [SYS/TEMP] ${t('en', messageKey(err.code))}\r\n`);
          continue;
        }
        this.log.error({ err, command: line.split(' ')[0].toUpperCase().slice(0, 20) }, 'command failed');
        this.#write('-ERR Server error\r\n');
      }
    }
    this.#busy = false;
  }

  #capabilities(): string[] {
    const caps = ['TOP', 'UIDL', 'RESP-CODES', 'AUTH-RESP-CODE', 'PIPELINING'];
    if (this.#state === 'authorization') {
      if (!this.secure && this.ctx.secureContext) caps.push('STLS');
      if (this.#authAllowed) caps.push('USER', 'SASL PLAIN');
    }
    caps.push('IMPLEMENTATION Postern');
    return caps;
  }

  async #run(line: string): Promise<void> {
    const [rawCommand, ...args] = line.split(' ');
    const command = rawCommand.toUpperCase();
    if (command === 'CAPA') return void this.#write(`+OK Capability list follows\r\n${this.#capabilities().join('\r\n')}\r\n.\r\n`);
    if (command === 'QUIT') return this.#quit();
    if (command === 'NOOP' && this.#state === 'transaction') return void this.#write('+OK\r\n');
    if (this.#state === 'authorization') return this.#authorization(command, args);
    return this.#transaction(command, args);
  }

  async #authorization(command: string, args: string[]): Promise<void> {
    if (command === 'STLS') {
      if (this.secure || !this.ctx.secureContext) return void this.#write('-ERR TLS not available\r\n');
      this.#write('+OK Begin TLS negotiation\r\n');
      const plain = this.socket;
      plain.removeAllListeners('data');
      plain.removeAllListeners('timeout');
      this.#queue = [];
      this.#reader.stop();
      this.#reader = this.#newReader();
      this.socket = upgradeToTls(plain, this.ctx.secureContext);
      this.secure = true;
      this.#attach(this.socket);
      return;
    }
    if (command !== 'USER' && command !== 'PASS' && command !== 'AUTH') return void this.#write('-ERR Unknown command or not allowed before login\r\n');
    if (!this.#authAllowed) return void this.#write('-ERR [AUTH] Use STLS first\r\n');
    if (command === 'USER') {
      if (!args.length || !args.join(' ')) return void this.#write('-ERR USER needs a name\r\n');
      this.#user = args.join(' ');
      return void this.#write('+OK\r\n');
    }
    if (command === 'PASS') {
      if (this.#user === null) return void this.#write('-ERR USER first\r\n');
      const user = this.#user;
      this.#user = null;
      return this.#login(user, args.join(' '));
    }
    if ((args[0] ?? '').toUpperCase() !== 'PLAIN') return void this.#write('-ERR Only SASL PLAIN is supported\r\n');
    let response = args[1];
    if (response === undefined) {
      this.#write('+ \r\n');
      response = await new Promise<string>((resolve) => (this.#continuation = resolve));
    }
    if (response === '*') return void this.#write('-ERR AUTH cancelled\r\n');
    const credentials = decodeSaslPlain(response === '=' ? '' : response);
    if (!credentials) return void this.#write('-ERR Invalid SASL PLAIN response\r\n');
    return this.#login(credentials.username, credentials.password);
  }

  async #login(username: string, password: string): Promise<void> {
    const result = await this.ctx.authenticate('pop3', username, password, this.remoteIp);
    logLogin(this.log, username, result);
    if (!result.ok) {
      this.#failures++;
      await delay(this.ctx.limits.authFailureDelayMs);
      const reply = `-ERR [AUTH] ${authFailureText(result.reason)}\r\n`;
      if (this.#failures >= this.ctx.limits.maxAuthFailures) this.#close(reply);
      else this.#write(reply);
      return;
    }
    const release = await this.ctx.slots.acquire(`pop3:user:${result.accountId}:${this.remoteIp}`, this.ctx.limits.maxConnectionsPerUserIp);
    if (!release) return void this.#close(`-ERR [SYS/TEMP] ${tooManyForAccount}\r\n`);
    if (this.socket.destroyed) release();
    else this.socket.once('close', release);
    this.#accountId = result.accountId;
    this.#untrack = this.ctx.live?.track(result.accountId, result.credential, (text) => this.#close(`-ERR [AUTH] ${text}\r\n`)) ?? null;
    this.#drop = await this.ctx.backend.openMaildrop(result.accountId);
    this.#state = 'transaction';
    const total = this.#drop.messages.reduce((s, m) => s + m.size, 0);
    this.#write(`+OK Maildrop has ${this.#drop.messages.length} messages (${total} octets)\r\n`);
  }

  /** The message with this number, unless missing or marked deleted. */
  #message(arg: string | undefined): { uid: number; size: number } | null {
    if (!arg || !/^\d{1,9}$/.test(arg)) return null;
    const n = Number(arg);
    const m = this.#drop!.messages[n - 1];
    return m && !this.#deleted.has(n) ? m : null;
  }

  async #transaction(command: string, args: string[]): Promise<void> {
    const drop = this.#drop!;
    const live = () => drop.messages.map((m, i) => ({ n: i + 1, ...m })).filter((m) => !this.#deleted.has(m.n));
    const uidl = (uid: number) => `${drop.uidValidity}-${uid}`;
    switch (command) {
      case 'STAT': {
        const l = live();
        return void this.#write(`+OK ${l.length} ${l.reduce((s, m) => s + m.size, 0)}\r\n`);
      }
      case 'LIST':
      case 'UIDL': {
        const value = (m: { uid: number; size: number }) => (command === 'LIST' ? String(m.size) : uidl(m.uid));
        if (args[0] !== undefined) {
          const m = this.#message(args[0]);
          return void this.#write(m ? `+OK ${args[0]} ${value(m)}\r\n` : '-ERR No such message\r\n');
        }
        return void this.#write(`+OK\r\n${live().map((m) => `${m.n} ${value(m)}\r\n`).join('')}.\r\n`);
      }
      case 'RETR':
      case 'TOP': {
        const m = this.#message(args[0]);
        if (!m) return void this.#write('-ERR No such message\r\n');
        if (command === 'TOP' && !/^\d{1,9}$/.test(args[1] ?? '')) return void this.#write('-ERR TOP needs a line count\r\n');
        const raw = await this.ctx.backend.readMessage(this.#accountId, drop.mailboxId, m.uid);
        if (!raw) return void this.#write('-ERR Message was removed\r\n');
        const body = command === 'TOP' ? topOf(raw, Number(args[1])) : raw;
        return this.#writeAndDrain(Buffer.concat([Buffer.from(`+OK ${m.size} octets\r\n`), dotStuff(body)]));
      }
      case 'DELE': {
        const m = this.#message(args[0]);
        if (!m) return void this.#write('-ERR No such message\r\n');
        this.#deleted.add(Number(args[0]));
        return void this.#write(`+OK Message ${args[0]} deleted\r\n`);
      }
      case 'RSET':
        this.#deleted.clear();
        return void this.#write('+OK\r\n');
      default:
        return void this.#write('-ERR Unknown command\r\n');
    }
  }

  async #quit(): Promise<void> {
    if (this.#state === 'transaction' && this.#deleted.size) {
      const uids = [...this.#deleted].map((n) => this.#drop!.messages[n - 1].uid);
      try {
        await this.ctx.backend.deleteMessages(this.#accountId, this.#drop!.mailboxId, uids);
      } catch (err) {
        this.log.error({ err }, 'deleting messages at QUIT failed');
        return this.#close('-ERR Some deleted messages were not removed\r\n');
      }
    }
    this.#close('+OK Bye\r\n');
  }
}
