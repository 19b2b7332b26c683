// Modified UTF-7 for mailbox names (RFC 3501 §5.1.3): printable ASCII stands for itself ("&" as
// "&-"); every other run is UTF-16BE in base64 with "," for "/", no padding, between "&" and "-".

function encodeRun(run: string): string {
  const bytes = Buffer.alloc(run.length * 2);
  for (let i = 0; i < run.length; i++) bytes.writeUInt16BE(run.charCodeAt(i), i * 2);
  return '&' + bytes.toString('base64').replace(/=+$/, '').replace(/\//g, ',') + '-';
}

export function encodeMailboxName(name: string): string {
  let out = '';
  let run = '';
  for (const ch of name) {
    const code = ch.codePointAt(0)!;
    if (code >= 0x20 && code <= 0x7e) {
      if (run) {
        out += encodeRun(run);
        run = '';
      }
      out += ch === '&' ? '&-' : ch;
    } else {
      run += ch;
    }
  }
  return run ? out + encodeRun(run) : out;
}

/** Decodes a modified UTF-7 name; throws on malformed input so that clients get a clear BAD. */
export function decodeMailboxName(encoded: string): string {
  let out = '';
  let i = 0;
  while (i < encoded.length) {
    const ch = encoded[i];
    const code = ch.charCodeAt(0);
    if (code < 0x20 || code > 0x7e) throw new Error('mailbox name has a character outside printable ASCII');
    if (ch !== '&') {
      out += ch;
      i++;
      continue;
    }
    const end = encoded.indexOf('-', i + 1);
    if (end < 0) throw new Error('mailbox name has an unterminated "&" sequence');
    const body = encoded.slice(i + 1, end);
    i = end + 1;
    if (body === '') {
      out += '&';
      continue;
    }
    if (!/^[A-Za-z0-9+,]+$/.test(body)) throw new Error('mailbox name has invalid modified base64');
    const bytes = Buffer.from(body.replace(/,/g, '/'), 'base64');
    if (bytes.length % 2 !== 0) throw new Error('mailbox name has a truncated UTF-16 sequence');
    for (let j = 0; j < bytes.length; j += 2) out += String.fromCharCode(bytes.readUInt16BE(j));
  }
  return out;
}
