// CRLF line splitting with a length cap, for POP3 (RFC 1939 commands are short).

export class LineReader {
  readonly maxLineBytes: number;
  readonly onLine: (line: string) => void;
  readonly onTooLong: () => void;
  #parts: Buffer[] = [];
  #length = 0;
  #dead = false;

  constructor(maxLineBytes: number, onLine: (line: string) => void, onTooLong: () => void) {
    this.maxLineBytes = maxLineBytes;
    this.onLine = onLine;
    this.onTooLong = onTooLong;
  }

  /** Stops delivering lines, e.g. when STLS hands the connection to a new reader. */
  stop(): void {
    this.#dead = true;
  }

  push(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length && !this.#dead) {
      const lf = chunk.indexOf(0x0a, pos);
      const end = lf < 0 ? chunk.length : lf + 1;
      this.#length += end - pos;
      if (this.#length > this.maxLineBytes) {
        this.#dead = true;
        this.onTooLong();
        return;
      }
      this.#parts.push(chunk.subarray(pos, end));
      pos = end;
      if (lf >= 0) {
        const line = Buffer.concat(this.#parts).toString('utf8').replace(/\r?\n$/, '');
        this.#parts = [];
        this.#length = 0;
        this.onLine(line);
      }
    }
  }
}
