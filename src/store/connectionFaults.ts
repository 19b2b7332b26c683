import type pg from 'pg';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import { PosternError } from '../core/errors.ts';

// Socket errors, SQLSTATE class 08 (connection exception) and 57P0x/53300 (server shutting down,
// starting, full): the database is away, not the query wrong.
const socketCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const serverCodes = new Set(['57P01', '57P02', '57P03', '53300']);
// What pg says when a connection drops or cannot be had in time (it gives these no code).
const clientMessages = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

export function isConnectionFault(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (socketCodes.has(code) || serverCodes.has(code) || code.startsWith('08'))) return true;
  return clientMessages.test(err.message);
}

/**
 * The pool Kysely uses: a connection fault becomes PosternError('unavailable') (web 503, IMAP
 * NO [UNAVAILABLE], SMTP 451 4.3.0), and a dropped connection is logged, never an uncaught
 * 'error' event; the pool then opens fresh connections as requests come.
 */
export function faultTolerantPool(pool: pg.Pool, onFault: (err: Error) => void): PostgresPool {
  const fault = (err: unknown): never => {
    if (!isConnectionFault(err)) throw err;
    onFault(err as Error);
    throw new PosternError('unavailable');
  };
  pool.on('error', onFault);
  // A checked-out client has no pool listener; without one its error event would end the process.
  pool.on('connect', (client) => client.on('error', onFault));
  return {
    async connect() {
      const client = await pool.connect().catch(fault);
      const wrapped: PostgresPoolClient = {
        query: ((text: string, parameters: unknown[]) => client.query(text, parameters).catch(fault)) as unknown as PostgresPoolClient['query'],
        release: (destroy) => client.release(destroy),
      };
      return wrapped;
    },
    end: () => pool.end(),
  };
}
