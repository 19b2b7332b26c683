// The text of an HTML body (for the preview and the search index of HTML-only mail), as html-to-text
// renders it; HTML too long or too deeply nested to convert in bounded time gives no text.
import { htmlToText } from 'html-to-text';

/** Longer HTML is not converted (its source is still searched by IMAP). */
const maxHtmlLength = 2_000_000;
// htmlparser2 keeps its open elements at the front of an array, so parsing is quadratic in the
// nesting depth, and html-to-text's walk overflows the stack at about 2000 levels.
const maxNesting = 1000;
// Elements that hold no content, and those a sibling closes implicitly (li after li): neither nests.
const flat = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr', 'p', 'li', 'dt', 'dd', 'option', 'optgroup', 'tr', 'td', 'th', 'thead', 'tbody', 'tfoot', 'rt', 'rp']);

const nameChar = /[A-Za-z0-9:_-]/;

/** Whether elements nest deeper than `max`, read the way htmlparser2 builds them, in one pass. */
function nestsDeeperThan(html: string, max: number): boolean {
  const stack: string[] = [];
  const open = new Map<string, number>();
  for (let i = html.indexOf('<'); i >= 0; ) {
    let pos = i + 1;
    if (html.startsWith('!--', pos)) {
      const end = html.indexOf('-->', pos + 3);
      i = end < 0 ? -1 : html.indexOf('<', end + 3);
      continue;
    }
    const closing = html[pos] === '/';
    if (closing) pos++;
    const nameStart = pos;
    while (pos < html.length && nameChar.test(html[pos])) pos++;
    if (pos === nameStart) {
      i = html.indexOf('<', pos);
      continue;
    }
    const end = html.indexOf('>', pos);
    if (end < 0) return false;
    const name = html.slice(nameStart, pos).toLowerCase();
    if (!flat.has(name)) {
      if (!closing) {
        stack.push(name);
        open.set(name, (open.get(name) ?? 0) + 1);
        if (stack.length > max) return true;
      } else if (open.get(name)) {
        let popped: string;
        do {
          popped = stack.pop()!;
          open.set(popped, open.get(popped)! - 1);
        } while (popped !== name);
      }
    }
    i = html.indexOf('<', end + 1);
  }
  return false;
}

export function htmlText(html: string): string {
  if (html.length > maxHtmlLength || nestsDeeperThan(html, maxNesting)) return '';
  try {
    return htmlToText(html, { limits: { maxDepth: maxNesting } });
  } catch {
    return '';
  }
}
