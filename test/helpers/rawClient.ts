// A bare line-oriented client for protocol tests that need exact bytes (IMAP and POP3).
import net from 'node:net';
import tls from 'node:tls';

export class RawClient {
  readonly socket: net.Socket;
  #buffer = '';
  #waiters: (() => void)[] = [];
  closed = false;

  constructor(socket: net.Socket) {
    this.socket = socket;
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      this.#buffer += d;
      this.#wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.#wake();
    });
    socket.on('error', () => {});
  }

  /** `from` picks the client's own loopback address (127.0.0.0/8), to be seen as another source. */
  static async connect(port: number, secure: boolean, from?: string): Promise<RawClient> {
    const at = { host: '127.0.0.1', port, localAddress: from };
    const socket = secure ? tls.connect({ ...at, rejectUnauthorized: false }) : net.connect(at);
    await new Promise<void>((resolve, reject) => {
      socket.once(secure ? 'secureConnect' : 'connect', () => resolve());
      socket.once('error', reject);
    });
    return new RawClient(socket);
  }

  #wake(): void {
    for (const w of this.#waiters.splice(0)) w();
  }

  /** Waits until the received text matches, returns everything up to the end of that line. */
  async until(pattern: RegExp, timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = pattern.exec(this.#buffer);
      if (m) {
        const lineEnd = this.#buffer.indexOf('\n', m.index + m[0].length - 1);
        const end = lineEnd < 0 ? this.#buffer.length : lineEnd + 1;
        const text = this.#buffer.slice(0, end);
        this.#buffer = this.#buffer.slice(end);
        return text;
      }
      if (this.closed) throw new Error(`connection closed; received: ${this.#buffer.slice(0, 300)}`);
      if (Date.now() > deadline) throw new Error(`timeout waiting for ${pattern}; received: ${this.#buffer.slice(0, 300)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  send(data: string | Buffer): boolean {
    return this.socket.write(data);
  }

  async command(tag: string, text: string): Promise<string> {
    this.send(`${tag} ${text}\r\n`);
    return this.until(new RegExp(`^${tag} (OK|NO|BAD)`, 'm'));
  }

  async waitClosed(timeoutMs = 5000): Promise<void> {
    await this.until(/(?!)/, timeoutMs).catch((err: Error) => {
      if (!this.closed) throw err;
    });
  }

  close(): void {
    this.socket.destroy();
  }
}
