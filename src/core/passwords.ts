import { randomBytes, timingSafeEqual } from 'node:crypto';
import { argon2id } from './hashThreads.ts';

/** OWASP's argon2id recommendation (m=19 MiB, t=2, p=1); stored with each hash so it can be raised later. */
export const currentParams = { memory: 19456, passes: 2, parallelism: 1 } as const;
type Params = { memory: number; passes: number; parallelism: number };

const derive = (password: string, salt: Buffer, params: Params): Promise<Buffer> => argon2id({ message: password, nonce: salt, tagLength: 32, ...params });

/** PHC string: $argon2id$v=19$m=…,t=…,p=…$salt$hash (base64 without padding). */
export async function hashPassword(password: string, params: Params = currentParams): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, params);
  const b64 = (b: Buffer) => b.toString('base64').replace(/=+$/, '');
  return `$argon2id$v=19$m=${params.memory},t=${params.passes},p=${params.parallelism}$${b64(salt)}$${b64(hash)}`;
}

function parse(stored: string): { params: Params; salt: Buffer; hash: Buffer } | null {
  const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(stored);
  if (!m) return null;
  return {
    params: { memory: Number(m[1]), passes: Number(m[2]), parallelism: Number(m[3]) },
    salt: Buffer.from(m[4], 'base64'),
    hash: Buffer.from(m[5], 'base64'),
  };
}

export interface PasswordCheck {
  ok: boolean;
  /** The stored hash uses weaker parameters than today's: rehash after a successful login. */
  needsRehash: boolean;
}

export async function verifyPassword(password: string, stored: string): Promise<PasswordCheck> {
  const parsed = parse(stored);
  if (!parsed) return { ok: false, needsRehash: false };
  const hash = await derive(password, parsed.salt, parsed.params);
  const ok = hash.length === parsed.hash.length && timingSafeEqual(hash, parsed.hash);
  const p = parsed.params;
  const needsRehash = p.memory < currentParams.memory || p.passes < currentParams.passes || p.parallelism < currentParams.parallelism;
  return { ok, needsRehash };
}

/** A hash of a random password: checking against it costs the same as a real account (no timing oracle). */
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  return dummy;
}
