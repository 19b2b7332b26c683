// Tokenizer for one complete IMAP command (its lines and literals already assembled by the reader).

export type Token =
  | { kind: 'atom'; value: string }
  | { kind: 'string'; value: Buffer; literal: boolean; binary?: true }
  | { kind: 'list'; items: Token[] };

export class ParseError extends Error {}

export interface ParsedCommand {
  tag: string;
  name: string;
  args: Token[];
}

const SP = 0x20;
const CR = 0x0d;
const LF = 0x0a;

function isAtomChar(c: number): boolean {
  // atom-specials: ( ) { SP CTL % * " \ ] — "%" "*" "\" and "]" are allowed here because they
  // appear in list wildcards, flags and section specs that this tokenizer reads as atoms.
  return c > SP && c !== 0x7f && c !== 0x28 && c !== 0x29 && c !== 0x7b && c !== 0x22;
}

class Tokenizer {
  readonly buf: Buffer;
  pos = 0;

  constructor(buf: Buffer) {
    this.buf = buf;
  }

  atEnd(): boolean {
    return this.pos >= this.buf.length || this.buf[this.pos] === CR || this.buf[this.pos] === LF;
  }

  /** Reads a bare word (tag or command name) up to the next space or end of line. */
  word(): string {
    const start = this.pos;
    while (!this.atEnd() && this.buf[this.pos] !== SP) this.pos++;
    if (this.pos === start) throw new ParseError('missing word');
    return this.buf.toString('latin1', start, this.pos);
  }

  space(): void {
    if (this.buf[this.pos] !== SP) throw new ParseError('expected a space');
    this.pos++;
  }

  /** Reads space-separated tokens until the end of the command, or until ")" when nested. */
  tokens(nested: boolean): Token[] {
    const out: Token[] = [];
    for (;;) {
      if (this.atEnd()) {
        if (nested) throw new ParseError('unclosed "("');
        return out;
      }
      const c = this.buf[this.pos];
      if (c === 0x29) {
        if (!nested) throw new ParseError('unexpected ")"');
        this.pos++;
        return out;
      }
      if (out.length > 0) {
        if (c !== SP) throw new ParseError('expected a space between arguments');
        this.pos++;
        if (this.atEnd() || this.buf[this.pos] === 0x29) throw new ParseError('trailing space');
      }
      out.push(this.token());
    }
  }

  token(): Token {
    const c = this.buf[this.pos];
    if (c === 0x28) {
      this.pos++;
      return { kind: 'list', items: this.tokens(true) };
    }
    if (c === 0x22) return this.quoted();
    if (c === 0x7b) return this.literal();
    // RFC 3516 literal8: "~{n}" may carry NUL bytes.
    if (c === 0x7e && this.buf[this.pos + 1] === 0x7b) {
      this.pos++;
      return { ...this.literal(), binary: true };
    }
    return this.atom();
  }

  quoted(): Token {
    this.pos++;
    const bytes: number[] = [];
    for (;;) {
      if (this.pos >= this.buf.length) throw new ParseError('unterminated quoted string');
      const c = this.buf[this.pos++];
      if (c === CR || c === LF) throw new ParseError('line break in quoted string');
      if (c === 0x22) return { kind: 'string', value: Buffer.from(bytes), literal: false };
      if (c === 0x5c) {
        const next = this.buf[this.pos++];
        if (next !== 0x22 && next !== 0x5c) throw new ParseError('invalid escape in quoted string');
        bytes.push(next);
      } else {
        bytes.push(c);
      }
    }
  }

  literal(): Extract<Token, { kind: 'string' }> {
    const close = this.buf.indexOf(0x7d, this.pos);
    const spec = close < 0 ? '' : this.buf.toString('latin1', this.pos + 1, close);
    const m = /^(\d{1,10})\+?$/.exec(spec);
    if (!m || this.buf[close + 1] !== CR || this.buf[close + 2] !== LF) throw new ParseError('invalid literal');
    const size = Number(m[1]);
    const start = close + 3;
    if (start + size > this.buf.length) throw new ParseError('truncated literal');
    this.pos = start + size;
    return { kind: 'string', value: this.buf.subarray(start, start + size), literal: true };
  }

  /** An atom; "[...]" may hold spaces and parentheses (BODY[HEADER.FIELDS (A B)]) when it closes. */
  atom(): Token {
    const start = this.pos;
    let depth = 0;
    while (this.pos < this.buf.length) {
      const c = this.buf[this.pos];
      if (c === 0x5b) depth++;
      else if (c === 0x5d) depth = Math.max(0, depth - 1);
      else if (depth === 0 && !isAtomChar(c)) break;
      else if (depth > 0 && (c === CR || c === LF)) {
        // An unclosed "[" is a plain atom character: read the atom again without grouping.
        this.pos = start;
        while (this.pos < this.buf.length && isAtomChar(this.buf[this.pos])) this.pos++;
        break;
      }
      this.pos++;
    }
    if (this.pos === start) throw new ParseError('expected an argument');
    return { kind: 'atom', value: this.buf.toString('latin1', start, this.pos) };
  }
}

/** Parses "tag SP command [SP arguments]". AUTHENTICATE/IDLE continuation lines are not commands. */
export function parseCommand(buf: Buffer): ParsedCommand {
  const t = new Tokenizer(buf);
  const tag = t.word();
  if (!/^[\x21-\x7e]+$/.test(tag) || /[(){%*"\\+]/.test(tag)) throw new ParseError('invalid tag');
  if (t.atEnd()) throw new ParseError('missing command');
  t.space();
  const name = t.word().toUpperCase();
  const args = t.atEnd() ? [] : (t.space(), t.tokens(false));
  return { tag, name, args };
}

/** Best effort tag of a command that failed to parse, so the BAD reply can carry it. */
export function guessTag(buf: Buffer): string {
  const m = /^([\x21-\x7e]{1,64}) /.exec(buf.toString('latin1', 0, 80));
  return m && !/[(){%*"\\+]/.test(m[1]) ? m[1] : '*';
}
