import type { CompiledQuery, Compilable, QueryResult } from 'kysely';

type Value = string | number | null | Uint8Array;
const marker = (i: number): string => `\u0000argument ${i}\u0000`;

/** What runs a compiled query: the database, or a transaction of it (a Kysely either way). */
export interface Executor {
  executeQuery<T>(query: CompiledQuery<T>): Promise<QueryResult<T>>;
  /** Its adapter stands for its SQL dialect: one process may use SQLite and PostgreSQL (the tests do). */
  getExecutor(): { adapter: object };
}

/**
 * A query of fixed shape, built and compiled on its first call (per number of arguments) instead of
 * on every one: Kysely's syntax tree costs more to build and compile than a small indexed SQLite
 * query costs to run, and the hottest queries (every signed-in request, every sign-in, every
 * delivery) run thousands of times a second. Shapes of more than `maxKeptArguments` arguments are
 * built each time (statements of thousands of rows, each count its own shape, would add up).
 * `build` is given the executor and a marker for each argument; each call's values take the
 * markers' places among the compiled parameters. Arguments may only be values (never names or raw
 * SQL). The executor of each call runs it (inside a transaction, its `trx`); each SQL dialect has
 * its own compiled shapes.
 */
export function compiledStatement<E extends Executor, A extends Value[], R>(build: (on: E, ...args: A) => Compilable<R>, maxKeptArguments = Infinity): (on: E, ...args: A) => Promise<R[]> {
  const byDialect = new WeakMap<object, Map<number, { compiled: CompiledQuery<R>; slots: (number | undefined)[] }>>();
  return async (on, ...args) => {
    const dialect = on.getExecutor().adapter;
    let byArity = byDialect.get(dialect);
    if (!byArity) byDialect.set(dialect, (byArity = new Map()));
    let shape = byArity.get(args.length);
    if (!shape) {
      const markers = args.map((_, i) => marker(i));
      const compiled = build(on, ...(markers as A)).compile();
      if (compiled.sql.includes('\u0000')) throw new Error('compiledStatement: an argument went into the SQL text, not a parameter');
      shape = { compiled, slots: compiled.parameters.map((p) => (typeof p === 'string' && markers.includes(p) ? markers.indexOf(p) : undefined)) };
      if (args.length <= maxKeptArguments) byArity.set(args.length, shape);
    }
    const { compiled, slots } = shape;
    const parameters = compiled.parameters.map((p, k) => (slots[k] === undefined ? p : args[slots[k]!]));
    return (await on.executeQuery<R>({ ...compiled, parameters })).rows;
  };
}

/** compiledStatement on `db` itself. */
export function compiledQuery<A extends Value[], R>(db: Executor, build: (...args: A) => Compilable<R>): (...args: A) => Promise<R[]> {
  const run = compiledStatement((_: Executor, ...args: A) => build(...args));
  return (...args) => run(db, ...args);
}
