// A SEARCH or SORT given with RETURN (UPDATE) (RFC 5267 §4.3): its result is kept, and each change
// of it is told as ESEARCH ADDTO / REMOVEFROM while the mailbox stays selected.
import type { SearchTarget } from './searchCriteria.ts';
import { formatSequenceSet } from './sequence.ts';

export class ResultContext {
  readonly tag: string;
  readonly uid: boolean;
  /** SORT results have an order, and positions in ADDTO/REMOVEFROM say where; SEARCH ones use 0. */
  readonly sorted: boolean;
  /** UIDs of the result as the client last heard it, in result order. */
  #results: number[];
  readonly #evaluate: () => Promise<SearchTarget[]>;

  constructor(tag: string, uid: boolean, sorted: boolean, found: SearchTarget[], evaluate: () => Promise<SearchTarget[]>) {
    this.tag = tag;
    this.uid = uid;
    this.sorted = sorted;
    this.#results = found.map((t) => t.message.uid);
    this.#evaluate = evaluate;
  }

  #line(kind: 'ADDTO' | 'REMOVEFROM', pairs: [number, number[]][]): string {
    const body = pairs.map(([position, numbers]) => `${position} ${formatSequenceSet(numbers)}`).join(' ');
    return `* ESEARCH (TAG ${JSON.stringify(this.tag)})${this.uid ? ' UID' : ''} ${kind} (${body})\r\n`;
  }

  /** REMOVEFROM for a message about to be told expunged at `seq`, so its number is still valid. */
  expunged(uid: number, seq: number): string {
    const index = this.#results.indexOf(uid);
    if (index < 0) return '';
    this.#results.splice(index, 1);
    return this.#line('REMOVEFROM', [[this.sorted ? index + 1 : 0, [this.uid ? uid : seq]]]);
  }

  /** Runs the search again and tells what left and what joined the result; `seqOf` maps a UID to its number. */
  async refresh(seqOf: (uid: number) => number): Promise<string> {
    // A message expunged while the search ran is gone from the result already.
    const found = (await this.#evaluate()).map((t) => t.message.uid).filter((u) => seqOf(u) > 0);
    const now = new Set(found);
    const before = new Set(this.#results);
    const number = (uid: number) => (this.uid ? uid : seqOf(uid));
    let out = '';
    const removed = this.#results.filter((u) => !now.has(u));
    if (removed.length) {
      // Positions in the list as it shrinks, so that each is valid when the client applies it.
      const pairs: [number, number[]][] = this.sorted
        ? removed.map((u) => {
            const index = this.#results.indexOf(u);
            this.#results.splice(index, 1);
            return [index + 1, [number(u)]];
          })
        : [[0, removed.map(number).sort((a, b) => a - b)]];
      out += this.#line('REMOVEFROM', pairs);
    }
    const added = found.filter((u) => !before.has(u));
    if (added.length) {
      const pairs: [number, number[]][] = this.sorted ? added.map((u) => [found.indexOf(u) + 1, [number(u)]]) : [[0, added.map(number).sort((a, b) => a - b)]];
      out += this.#line('ADDTO', pairs);
    }
    this.#results = found;
    return out;
  }
}
