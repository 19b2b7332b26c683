// RFC 8620 §6: blob upload and download. Blob ids are content addresses (the blob store's SHA-256),
// a part of a message is `<message blob>_<section>`; an account reads only its own.
import type { Context } from '../../context.ts';
import { findPart, parseStructure } from '../../mail/structure.ts';
import { partBody } from '../../mail/transferEncoding.ts';
import { parsePartBlobId } from './bodyParts.ts';

/** The bytes of a blob the account may read, or null (unknown, or another account's). */
export async function readBlob(ctx: Context, accountId: string, blobId: string): Promise<Buffer | null> {
  const part = parsePartBlobId(blobId);
  const whole = part ? part.messageBlob : /^[0-9a-f]{64}$/.test(blobId) ? blobId : null;
  if (!whole || !(await ctx.emails.repo.ownsBlob(accountId, whole))) return null;
  const data = await ctx.mail.blobs.get(whole);
  if (!data || !part) return data ?? null;
  const mime = findPart(parseStructure(data).body, part.section);
  return mime && mime.type !== 'multipart' ? partBody(data, mime) : null;
}

export async function upload(ctx: Context, accountId: string, data: Buffer, type: string) {
  const blobId = await ctx.mail.blobs.put(data);
  await ctx.emails.repo.addUpload(accountId, blobId, type, data.length, ctx.clock.now());
  return { accountId, blobId, type, size: data.length };
}

const safeType = (t: string | undefined) => (t && /^[\w.+-]{1,64}\/[\w.+-]{1,128}$/.test(t) ? t.toLowerCase() : 'application/octet-stream');

/** Headers that make a download a download: never rendered on our origin, whatever the type. */
export function downloadHeaders(name: string, type: string | undefined): Record<string, string> {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_').slice(0, 200) || 'download';
  return {
    'content-type': safeType(type),
    'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name.slice(0, 200))}`,
    'content-security-policy': "sandbox; default-src 'none'",
    'x-content-type-options': 'nosniff',
    'cache-control': 'private, immutable, max-age=604800',
  };
}
