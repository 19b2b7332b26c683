import type { CompiledQuery, Compilable, QueryResult } from 'kysely';

type Value = string | number | null;
const marker = (i: number): string => `\u0000argument ${i}\u0000`;

/**
 * A query of fixed shape, built and compiled on its first call instead of on every one: Kysely's
 * syntax tree costs more to build and compile than a small indexed SQLite query costs to run, and
 * the hottest queries (every signed-in request, every sign-in) run thousands of times a second.
 * `build` is given a marker for each argument; each call's values take the markers' places among
 * the compiled parameters. Arguments may only be values (never names or raw SQL).
 */
export function compiledQuery<A extends Value[], R>(db: { executeQuery<T>(query: CompiledQuery<T>): Promise<QueryResult<T>> }, build: (...args: A) => Compilable<R>): (...args: A) => Promise<R[]> {
  let compiled: CompiledQuery<R> | undefined;
  let slots: (number | undefined)[] = [];
  return async (...args) => {
    if (!compiled) {
      const markers = args.map((_, i) => marker(i));
      compiled = build(...(markers as A)).compile();
      if (compiled.sql.includes('\u0000')) throw new Error('compiledQuery: an argument went into the SQL text, not a parameter');
      slots = compiled.parameters.map((p) => (typeof p === 'string' && markers.includes(p) ? markers.indexOf(p) : undefined));
    }
    const parameters = compiled.parameters.map((p, k) => (slots[k] === undefined ? p : args[slots[k]!]));
    return (await db.executeQuery<R>({ ...compiled, parameters })).rows;
  };
}
