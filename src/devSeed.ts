import { randomBytes } from 'node:crypto';
import type { Context } from './context.ts';

export const demoDomain = 'example.test';
export const demoAddress = `test001@${demoDomain}`;

/** Dev mode on an empty database: the demo domain and account, so that a newcomer can log in at once. */
export async function seedDemo(ctx: Context): Promise<{ address: string; password?: string }> {
  if ((await ctx.accounts.repo.list()).length > 0) return { address: demoAddress };
  if (!(await ctx.accounts.repo.domainExists(demoDomain))) await ctx.accounts.addDomain(demoDomain);
  // Four groups of random letters and digits: strong, and easy to copy from a console.
  const password = randomBytes(12).toString('base64url').replace(/[-_]/g, 'x').match(/.{4}/g)!.join('-');
  await ctx.accounts.create({ address: demoAddress, password, displayName: 'test001' });
  return { address: demoAddress, password };
}
