/** A parsed sequence set: ranges whose ends are numbers or "*" (the largest in use). */
export type SeqNumber = number | '*';
export type SequenceSet = { from: SeqNumber; to: SeqNumber }[];

const seqNumber = /^(\*|[1-9]\d{0,9})$/;

function parseNumber(text: string): SeqNumber {
  if (!seqNumber.test(text)) throw new Error(`invalid sequence number: ${text.slice(0, 20)}`);
  if (text === '*') return '*';
  const n = Number(text);
  if (n > 0xffffffff) throw new Error(`sequence number out of range: ${text}`);
  return n;
}

export function parseSequenceSet(text: string): SequenceSet {
  if (!text) throw new Error('empty sequence set');
  return text.split(',').map((part) => {
    const [a, b, extra] = part.split(':');
    if (extra !== undefined) throw new Error(`invalid sequence range: ${part.slice(0, 20)}`);
    const from = parseNumber(a);
    return { from, to: b === undefined ? from : parseNumber(b) };
  });
}

export function isSequenceSet(text: string): boolean {
  return /^[0-9*:,]+$/.test(text);
}

/** Whether n is in the set, "*" standing for max (RFC 3501: "3:*" with max 2 still contains 2). */
export function inSequenceSet(set: SequenceSet, n: number, max: number): boolean {
  for (const { from, to } of set) {
    const a = from === '*' ? max : from;
    const b = to === '*' ? max : to;
    if (n >= Math.min(a, b) && n <= Math.max(a, b)) return true;
  }
  return false;
}

/** Compresses sorted unique numbers into "1:3,7" form (for UIDPLUS responses). */
export function formatSequenceSet(numbers: number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < numbers.length) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j] + 1) j++;
    parts.push(i === j ? String(numbers[i]) : `${numbers[i]}:${numbers[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}
