// JMAP keywords (RFC 8621 §4.1.1) and IMAP flags are one set: $seen is \Seen, and so on.
const system: Record<string, string> = { $seen: '\\Seen', $flagged: '\\Flagged', $answered: '\\Answered', $draft: '\\Draft' };
const back = Object.fromEntries(Object.entries(system).map(([k, v]) => [v.toLowerCase(), k]));

/** IMAP \Deleted and \Recent have no keyword: they are IMAP session state, not the Email's. */
export function keywordsOf(flags: string[]): Record<string, true> {
  const out: Record<string, true> = {};
  for (const f of flags) {
    const lower = f.toLowerCase();
    if (lower === '\\deleted' || lower === '\\recent') continue;
    out[back[lower] ?? lower] = true;
  }
  return out;
}

export const validKeyword = (k: string) => /^[\x21-\x7e]{1,255}$/.test(k) && !/[(){\]%*"\\]/.test(k);

export const flagOf = (keyword: string) => system[keyword.toLowerCase()] ?? keyword.toLowerCase();
