// Serialization of IMAP response data: strings become quoted strings or literals as needed.

export type Chunk = string | Buffer;

/** An already-formatted protocol element (atom, number, list) that must not be quoted. */
export class Raw {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

/** Values written one after the other without spaces (the parts of a multipart BODYSTRUCTURE). */
export class Adjacent {
  readonly items: Value[];
  constructor(items: Value[]) {
    this.items = items;
  }
}

/** Decoded bytes (RFC 3516 BINARY): sent as a literal8 "~{n}" when they hold a NUL byte. */
export class Binary {
  readonly bytes: Buffer;
  constructor(bytes: Buffer) {
    this.bytes = bytes;
  }
}

export type Value = Raw | Adjacent | Binary | string | Buffer | number | null | Value[];

const quotable = /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/;

function stringChunks(value: string | Buffer, out: Chunk[]): void {
  if (typeof value === 'string' && value.length < 1024 && quotable.test(value)) {
    out.push(`"${value}"`);
    return;
  }
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  out.push(`{${bytes.length}}\r\n`, bytes);
}

export function serialize(value: Value, out: Chunk[] = []): Chunk[] {
  if (value === null) out.push('NIL');
  else if (value instanceof Raw) out.push(value.text);
  else if (value instanceof Adjacent) for (const item of value.items) serialize(item, out);
  else if (value instanceof Binary) out.push(`${value.bytes.includes(0) ? '~' : ''}{${value.bytes.length}}\r\n`, value.bytes);
  else if (typeof value === 'number') out.push(String(value));
  else if (Array.isArray(value)) {
    out.push('(');
    value.forEach((v, i) => {
      if (i > 0) out.push(' ');
      serialize(v, out);
    });
    out.push(')');
  } else stringChunks(value, out);
  return out;
}

export function raw(text: string): Raw {
  return new Raw(text);
}
