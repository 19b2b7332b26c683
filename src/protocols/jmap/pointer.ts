import { MethodError } from './errors.ts';

/**
 * RFC 8620 §3.7: a JSON pointer (RFC 6901) where `*` maps the rest of the path over an array and
 * flattens arrays of arrays one level.
 */
export function evaluatePointer(value: unknown, pointer: string): unknown {
  if (pointer === '') return value;
  if (!pointer.startsWith('/')) throw new MethodError('invalidResultReference', `bad path ${pointer}`);
  const tokens = pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  return walk(value, tokens);
}

function walk(value: unknown, tokens: string[]): unknown {
  if (tokens.length === 0) return value;
  const [token, ...rest] = tokens;
  if (Array.isArray(value)) {
    if (token === '*') {
      return value.flatMap((item) => {
        const r = walk(item, rest);
        return Array.isArray(r) ? r : [r];
      });
    }
    if (!/^(0|[1-9][0-9]*)$/.test(token) || Number(token) >= value.length) throw new MethodError('invalidResultReference', `no item ${token}`);
    return walk(value[Number(token)], rest);
  }
  if (value !== null && typeof value === 'object' && Object.hasOwn(value, token)) return walk((value as Record<string, unknown>)[token], rest);
  throw new MethodError('invalidResultReference', `no property ${token}`);
}
