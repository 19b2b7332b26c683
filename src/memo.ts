/** Values kept up to a total cost (one per entry unless `cost` says otherwise); the least recently used go first. */
export class Lru<V> {
  readonly #kept = new Map<string, { value: V; cost: number }>();
  readonly #maxCost: number;
  readonly #cost: (value: V) => number;
  #total = 0;

  constructor(maxCost: number, cost: (value: V) => number = () => 1) {
    this.#maxCost = maxCost;
    this.#cost = cost;
  }

  get(key: string): V | undefined {
    const entry = this.#kept.get(key);
    if (!entry) return undefined;
    this.#kept.delete(key);
    this.#kept.set(key, entry);
    return entry.value;
  }

  /** Keeps `value` unless it alone costs more than the whole budget. */
  set(key: string, value: V): void {
    const cost = this.#cost(value);
    const had = this.#kept.get(key);
    if (had) {
      this.#kept.delete(key);
      this.#total -= had.cost;
    }
    if (cost > this.#maxCost) return;
    this.#kept.set(key, { value, cost });
    this.#total += cost;
    while (this.#total > this.#maxCost) {
      const [oldest, entry] = this.#kept.entries().next().value!;
      this.#kept.delete(oldest);
      this.#total -= entry.cost;
    }
  }
}

/** `compute` remembered for the last `size` distinct keys used. */
export function memo<V>(size: number, compute: (key: string) => V): (key: string) => V {
  const kept = new Lru<V>(size);
  return (key) => {
    let value = kept.get(key);
    if (value === undefined) {
      value = compute(key);
      kept.set(key, value);
    }
    return value;
  };
}
