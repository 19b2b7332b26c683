import assert from 'node:assert/strict';
import { PosternError } from '../../src/core/errors.ts';

/** Asserts that `p` rejects with a PosternError of `code` (and these params, where given). */
export const rejects = (p: Promise<unknown>, code: string, params?: Record<string, unknown>) =>
  assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof PosternError, String(err));
    assert.equal(err.code, code);
    if (params) for (const [k, v] of Object.entries(params)) assert.equal(err.params[k], v, `param ${k}`);
    return true;
  });
