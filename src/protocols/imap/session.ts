// One IMAP connection: reads commands, runs them one at a time through the state machine
// (not authenticated → authenticated ⇄ selected → logout) and writes the replies.
import type net from 'node:net';
import type { Credential } from '../../core/revocation.ts';
import type { Logger } from 'pino';
import { upgradeToTls, type ProtocolContext } from '../listener.ts';
import { BackendError, type ImapBackend, type MailboxChange } from './backend.ts';
import { commands } from './commands/index.ts';
import { threadAlgorithms } from './commands/sortThread.ts';
import { CommandReader } from './reader.ts';
import type { Chunk } from './response.ts';
import { SelectedMailbox } from './selected.ts';
import { guessTag, parseCommand, ParseError, type ParsedCommand } from './tokens.ts';
import { messageKey, PosternError } from '../../core/errors.ts';
import { t } from '../../i18n/index.ts';

export type SessionState = 'notAuthenticated' | 'authenticated' | 'selected' | 'logout';

export interface ImapLimits {
  maxLineBytes: number;
  maxLiteralBytes: number;
  idleTimeoutMs: number;
  idleCommandTimeoutMs: number;
  authFailureDelayMs: number;
  maxAuthFailures: number;
  /** Before login, per client IP (thousands of students share one campus NAT address). */
  maxConnectionsPerIp: number;
  /** After login, per account and client IP (Dovecot's mail_max_userip_connections). */
  maxConnectionsPerUserIp: number;
}

export const defaultImapLimits: ImapLimits = {
  maxLineBytes: 64 * 1024,
  maxLiteralBytes: 25 * 1024 * 1024,
  idleTimeoutMs: 30 * 60_000,
  idleCommandTimeoutMs: 29 * 60_000,
  authFailureDelayMs: 2000,
  maxAuthFailures: 3,
  maxConnectionsPerIp: 1000,
  maxConnectionsPerUserIp: 20,
};

export type ImapContext = ProtocolContext<ImapBackend, ImapLimits>;

export class ImapError extends Error {
  readonly status: 'NO' | 'BAD';
  readonly code?: string;
  constructor(status: 'NO' | 'BAD', message: string, code?: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const expungeForbidden = new Set(['FETCH', 'STORE', 'SEARCH', 'SORT', 'THREAD']);
const maxQueuedCommands = 16;

export class ImapSession {
  socket: net.Socket;
  readonly ctx: ImapContext;
  /** This connection's log: its id, IP and protocol on every line. */
  readonly log: Logger;
  readonly remoteIp: string;
  secure: boolean;
  state: SessionState = 'notAuthenticated';
  accountId: string | null = null;
  username = '';
  selected: SelectedMailbox | null = null;
  condstore = false;
  authFailures = 0;
  idling: { tag: string } | null = null;
  /** Set while AUTHENTICATE waits for the client's response line. */
  continuation: ((line: Buffer) => void) | null = null;
  #reader: CommandReader;
  #queue: Buffer[] = [];
  #busy = false;
  #closed = false;
  #closeSelection: (() => void) | null = null;
  #untrack: (() => void) | null = null;

  constructor(socket: net.Socket, secure: boolean, ctx: ImapContext, log: Logger, ip: string) {
    this.socket = socket;
    this.secure = secure;
    this.ctx = ctx;
    this.log = log;
    this.remoteIp = ip;
    this.#reader = this.#newReader();
    this.#attach(socket);
  }

  start(): void {
    this.write(`* OK [CAPABILITY ${this.capabilities().join(' ')}] ${this.ctx.hostname} Postern IMAP4rev1 ready\r\n`);
  }

  get tlsAvailable(): boolean {
    return !!this.ctx.secureContext;
  }

  get authAllowed(): boolean {
    return this.secure || (this.ctx.allowPlaintextAuth && !this.tlsAvailable);
  }

  capabilities(): string[] {
    const caps = ['IMAP4rev1', 'LITERAL+', 'SASL-IR', 'ID', 'ENABLE', 'IDLE', 'NAMESPACE', 'UNSELECT'];
    if (this.state === 'notAuthenticated') {
      if (!this.secure && this.tlsAvailable) caps.push('STARTTLS');
      caps.push(...(this.authAllowed ? ['AUTH=PLAIN'] : ['LOGINDISABLED']));
    } else {
      caps.push('UIDPLUS', 'MOVE', 'SPECIAL-USE', 'LIST-EXTENDED', 'LIST-STATUS', 'CONDSTORE', 'MULTIAPPEND', 'CATENATE', 'BINARY', 'ESEARCH', 'SORT', 'SORT=DISPLAY', 'ESORT', 'CONTEXT=SEARCH', 'CONTEXT=SORT', ...threadAlgorithms.map((a) => `THREAD=${a}`));
    }
    return caps;
  }

  #newReader(): CommandReader {
    return new CommandReader(this.ctx.limits, {
      command: (data) => this.#receive(data),
      continueLiteral: () => this.write('+ Ready for literal data\r\n'),
      literalTooBig: (head, fatal) => {
        const tag = guessTag(head);
        if (fatal) this.close(`* BYE [TOOBIG] Literal too big\r\n`);
        else this.write(`${tag} NO [TOOBIG] Literal too big (max ${this.ctx.limits.maxLiteralBytes} bytes)\r\n`);
      },
      lineTooLong: () => this.close('* BYE Line too long\r\n'),
    });
  }

  #attach(socket: net.Socket): void {
    socket.on('data', (chunk: Buffer) => this.#reader.push(chunk));
    socket.once('close', () => this.#cleanup());
    socket.on('error', () => this.#cleanup());
    socket.on('timeout', () => this.close('* BYE Idle timeout, closing connection\r\n'));
    this.#armTimer();
  }

  #armTimer(): void {
    this.socket.setTimeout(this.idling ? this.ctx.limits.idleCommandTimeoutMs : this.ctx.limits.idleTimeoutMs);
  }

  write(data: string | Buffer): boolean {
    if (this.#closed || this.socket.destroyed) return false;
    return this.socket.write(data);
  }

  /** Writes response chunks, waiting for the socket to drain when its buffer is full. */
  async writeChunks(chunks: Chunk[]): Promise<void> {
    if (this.#closed) return;
    const ok = this.write(Buffer.concat(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c, 'utf8') : c))));
    if (!ok && !this.#closed) {
      // A corked socket drains only once uncorked.
      const corked = this.socket.writableCorked > 0;
      if (corked) this.socket.uncork();
      await new Promise<void>((resolve) => {
        const done = () => {
          this.socket.off('drain', done);
          this.socket.off('close', done);
          resolve();
        };
        this.socket.on('drain', done);
        this.socket.on('close', done);
      });
      if (corked) this.socket.cork();
    }
  }

  close(farewell?: string): void {
    if (this.#closed) return;
    if (farewell && !this.socket.destroyed) this.socket.end(farewell);
    else this.socket.destroy();
    this.#closed = true;
    this.state = 'logout';
    setTimeout(() => this.socket.destroy(), 1000).unref();
    this.#cleanup();
  }

  #cleanup(): void {
    this.#closed = true;
    this.#queue = [];
    this.unselect();
    this.#untrack?.();
    this.#untrack = null;
  }

  /** The account's slot on this client address, held until the connection ends. */
  async takeUserSlot(accountId: string): Promise<boolean> {
    const release = await this.ctx.slots.acquire(`imap:user:${accountId}:${this.remoteIp}`, this.ctx.limits.maxConnectionsPerUserIp);
    if (!release) return false;
    if (this.#closed) release();
    else this.socket.once('close', release);
    return true;
  }

  #receive(data: Buffer): void {
    if (this.#closed) return;
    if (this.idling) {
      this.#endIdle(data);
      return;
    }
    if (this.continuation) {
      const resume = this.continuation;
      this.continuation = null;
      resume(data);
      return;
    }
    this.#queue.push(data);
    if (this.#queue.length >= maxQueuedCommands) this.socket.pause();
    if (!this.#busy) void this.#pump();
  }

  async #pump(): Promise<void> {
    this.#busy = true;
    while (this.#queue.length && !this.#closed && !this.idling && !this.continuation) {
      const data = this.#queue.shift()!;
      if (this.#queue.length < maxQueuedCommands / 2) this.socket.resume();
      // A command's untagged lines and its tagged reply go out together, as few TLS records. Not
      // before login: STARTTLS and AUTHENTICATE's continuation must reach the client at once.
      const socket = this.state === 'notAuthenticated' ? null : this.socket;
      socket?.cork();
      try {
        await this.#run(data);
      } finally {
        socket?.uncork();
      }
    }
    this.#busy = false;
  }

  async #run(data: Buffer): Promise<void> {
    let command: ParsedCommand;
    try {
      command = parseCommand(data);
    } catch (err) {
      const tag = guessTag(data);
      this.write(`${tag} BAD ${err instanceof ParseError ? err.message : 'Invalid command'}\r\n`);
      return;
    }
    let name = command.name;
    let uid = false;
    if (name === 'UID') {
      const sub = command.args[0];
      if (!sub || sub.kind !== 'atom') {
        this.write(`${command.tag} BAD UID needs a command\r\n`);
        return;
      }
      name = sub.value.toUpperCase();
      uid = true;
      command.args.shift();
      if (!['FETCH', 'SEARCH', 'SORT', 'THREAD', 'STORE', 'COPY', 'MOVE', 'EXPUNGE'].includes(name)) {
        this.write(`${command.tag} BAD UID ${name.slice(0, 20)} is not supported\r\n`);
        return;
      }
    }
    const spec = commands[name];
    if (!spec) {
      this.write(`${command.tag} BAD Unknown command ${name.slice(0, 20)}\r\n`);
      return;
    }
    if (!spec.states.includes(this.state)) {
      this.write(`${command.tag} BAD ${name} is not allowed now\r\n`);
      return;
    }
    let reply: string;
    try {
      const text = await spec.run({ session: this, tag: command.tag, name, args: command.args, uid });
      if (text === null) return;
      reply = `${command.tag} OK ${text ?? `${name} completed`}\r\n`;
    } catch (err) {
      if (err instanceof BackendError) {
        reply = `${command.tag} NO [${err.code}] ${err.message}\r\n`;
      } else if (err instanceof PosternError && err.code === 'unavailable') {
        reply = `${command.tag} NO [UNAVAILABLE] ${t('en', messageKey(err.code))}\r\n`;
      } else if (err instanceof PosternError && err.code === 'too_many_keywords') {
        reply = `${command.tag} NO [LIMIT] ${t('en', messageKey(err.code), err.params)}\r\n`;
      } else if (!(err instanceof ImapError)) {
        this.log.error({ err, command: name }, 'command failed');
        reply = `${command.tag} NO [SERVERBUG] ${name} failed\r\n`;
      } else {
        reply = `${command.tag} ${err.status} ${err.code ? `[${err.code}] ` : ''}${err.message}\r\n`;
      }
    }
    if (this.state === 'logout') return;
    const updates = this.pendingUpdates(!(expungeForbidden.has(name) && !uid));
    this.write(updates + (this.selected?.contexts.size ? await this.contextUpdates() : '') + reply);
  }

  /** RFC 5267 updates of searches made with RETURN (UPDATE); a failure only delays them. */
  async contextUpdates(): Promise<string> {
    if (!this.selected) return '';
    return this.selected.contextUpdates().catch((err: unknown) => {
      this.log.warn({ err }, 'search context update failed');
      return '';
    });
  }

  pendingUpdates(allowExpunge: boolean): string {
    return this.selected ? this.selected.flush(allowExpunge, this.condstore) : '';
  }

  /** RFC 7162 §3.1: a CONDSTORE-enabling command in a selected mailbox first tells its HIGHESTMODSEQ. */
  enableCondstore(): void {
    if (this.condstore) return;
    this.condstore = true;
    if (this.selected) this.write(`* OK [HIGHESTMODSEQ ${this.selected.highestModseq}] Highest\r\n`);
  }

  /** Called after a successful login; the session says BYE when `credential` is revoked. */
  authenticated(accountId: string, username: string, credential: Credential): void {
    this.accountId = accountId;
    this.username = username;
    this.state = 'authenticated';
    this.#untrack = this.ctx.live?.track(accountId, credential, (text) => this.close(`* BYE ${text}\r\n`)) ?? null;
  }

  /** Selects a mailbox; changes that arrive while its snapshot loads are replayed onto it. */
  async select(name: string, readOnly: boolean): Promise<SelectedMailbox> {
    this.unselect();
    const early: MailboxChange[] = [];
    let mailbox: SelectedMailbox | null = null;
    const opened = await this.ctx.backend.openMailbox(this.accountId!, name, !readOnly, (change) => {
      if (!mailbox) {
        early.push(change);
        return;
      }
      if (this.selected !== mailbox) return;
      mailbox.queue(change);
      if (!this.idling) return;
      this.write(this.pendingUpdates(true));
      if (mailbox.contexts.size) void this.contextUpdates().then((lines) => lines && this.write(lines));
    });
    if (this.#closed) {
      opened.close();
      throw new ImapError('NO', 'Connection closed');
    }
    mailbox = new SelectedMailbox(opened.snapshot, readOnly);
    for (const change of early) mailbox.queue(change);
    this.selected = mailbox;
    this.#closeSelection = opened.close;
    this.state = 'selected';
    return mailbox;
  }

  /**
   * After this session's APPEND or COPY into its selected mailbox, waits for the change so that the
   * tagged OK comes with the EXISTS (the UIDVALIDITY names the mailbox: never reused in an account).
   */
  async seeOwnAdditions(uidValidity: number, uids: number[]): Promise<void> {
    if (this.selected?.uidValidity === uidValidity && uids.length) await this.selected.waitForUid(Math.max(...uids));
  }

  unselect(): void {
    this.#closeSelection?.();
    this.#closeSelection = null;
    this.selected = null;
    if (this.state === 'selected') this.state = 'authenticated';
  }

  startIdle(tag: string): void {
    this.idling = { tag };
    this.write('+ idling\r\n' + this.pendingUpdates(true));
    this.#armTimer();
  }

  #endIdle(data: Buffer): void {
    const tag = this.idling!.tag;
    this.idling = null;
    this.#armTimer();
    const word = data.toString('latin1').trim().toUpperCase();
    this.write(this.pendingUpdates(true) + (word === 'DONE' ? `${tag} OK IDLE terminated\r\n` : `${tag} BAD Expected DONE\r\n`));
    if (!this.#busy) void this.#pump();
  }

  /** STARTTLS: drops anything pipelined after the command and continues over TLS. */
  startTls(): void {
    const plain = this.socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('timeout');
    this.#queue = [];
    this.#reader.stop();
    this.#reader = this.#newReader();
    const secure = upgradeToTls(plain, this.ctx.secureContext!);
    this.socket = secure;
    this.secure = true;
    this.#attach(secure);
  }
}
