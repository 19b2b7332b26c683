import { DatabaseSync, type SQLInputValue } from 'node:sqlite';

/** The better-sqlite3-shaped surface that Kysely's SqliteDialect drives, over node:sqlite. */
export function sqliteAdapter(path: string) {
  const db = new DatabaseSync(path, { timeout: 5000 });
  db.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;');
  const bind = (params: readonly unknown[]): SQLInputValue[] =>
    params.map((p) => (typeof p === 'boolean' ? Number(p) : (p as SQLInputValue)));
  return {
    raw: db,
    close: () => db.close(),
    prepare(sql: string) {
      const stmt = db.prepare(sql);
      return {
        reader: stmt.columns().length > 0,
        all: (params: readonly unknown[]) => stmt.all(...bind(params)),
        run: (params: readonly unknown[]) => {
          const r = stmt.run(...bind(params));
          return { changes: r.changes, lastInsertRowid: r.lastInsertRowid };
        },
        iterate: (params: readonly unknown[]) => stmt.iterate(...bind(params)),
      };
    },
  };
}
