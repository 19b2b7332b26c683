// Streaming assembly of IMAP commands from socket chunks. Lines are capped at maxLineBytes and
// literals at maxLiteralBytes; an oversized literal is refused from its "{n}" header before any of
// its bytes are read, so nothing unbounded is ever buffered.

export interface ReaderLimits {
  maxLineBytes: number;
  maxLiteralBytes: number;
}

export interface ReaderEvents {
  command(data: Buffer): void;
  /** A synchronizing literal was accepted: the client waits for "+". */
  continueLiteral(): void;
  /** A literal announced too large; when `fatal` (LITERAL+) the connection must close. */
  literalTooBig(data: Buffer, fatal: boolean): void;
  /** The line limit was exceeded: no way to find the next command, so the connection must close. */
  lineTooLong(): void;
}

const literalAtEnd = /\{(\d{1,20})(\+?)\}\r?\n$/;

export class CommandReader {
  readonly limits: ReaderLimits;
  readonly events: ReaderEvents;
  #parts: Buffer[] = [];
  #commandBytes = 0;
  #line: Buffer[] = [];
  #lineBytes = 0;
  #literalLeft = 0;
  #dead = false;

  constructor(limits: ReaderLimits, events: ReaderEvents) {
    this.limits = limits;
    this.events = events;
  }

  push(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length && !this.#dead) {
      if (this.#literalLeft > 0) {
        const take = Math.min(this.#literalLeft, chunk.length - pos);
        this.#parts.push(chunk.subarray(pos, pos + take));
        this.#literalLeft -= take;
        pos += take;
        continue;
      }
      const lf = chunk.indexOf(0x0a, pos);
      const end = lf < 0 ? chunk.length : lf + 1;
      this.#lineBytes += end - pos;
      if (this.#lineBytes > this.limits.maxLineBytes) {
        this.#dead = true;
        this.events.lineTooLong();
        return;
      }
      this.#line.push(chunk.subarray(pos, end));
      pos = end;
      if (lf >= 0) this.#endOfLine();
    }
  }

  #endOfLine(): void {
    const line = Buffer.concat(this.#line);
    this.#line = [];
    this.#lineBytes = 0;
    // Copy: the chunk the line came from may be large and would stay referenced otherwise.
    this.#parts.push(line);
    this.#commandBytes += line.length;
    const m = literalAtEnd.exec(line.toString('latin1', Math.max(0, line.length - 26)));
    if (!m) {
      const data = this.#parts.length === 1 ? line : Buffer.concat(this.#parts);
      this.#reset();
      this.events.command(data);
      return;
    }
    const size = Number(m[1]);
    const sync = m[2] !== '+';
    if (size > this.limits.maxLiteralBytes || this.#commandBytes + size > this.limits.maxLiteralBytes + 16 * this.limits.maxLineBytes) {
      const head = this.#parts[0];
      this.#reset();
      if (!sync) this.#dead = true;
      this.events.literalTooBig(head, !sync);
      return;
    }
    this.#literalLeft = size;
    this.#commandBytes += size;
    if (sync) this.events.continueLiteral();
  }

  /** Stops delivering events, e.g. when STARTTLS hands the connection to a new reader. */
  stop(): void {
    this.#dead = true;
  }

  #reset(): void {
    this.#parts = [];
    this.#commandBytes = 0;
  }
}
