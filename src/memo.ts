/** `compute` remembered for the last `size` distinct keys; the oldest is forgotten first. */
export function memo<V>(size: number, compute: (key: string) => V): (key: string) => V {
  const kept = new Map<string, V>();
  return (key) => {
    let value = kept.get(key);
    if (value === undefined) {
      value = compute(key);
      if (kept.size >= size) kept.delete(kept.keys().next().value!);
      kept.set(key, value);
    }
    return value;
  };
}
