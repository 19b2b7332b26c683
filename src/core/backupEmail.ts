import { z } from 'zod';
import { normalizeAddress } from './addresses.ts';
import type { CodeSender } from './codeSender.ts';
import { CodeMethod, sentCodeValidMinutes } from './codeMethod.ts';
import { PosternError } from './errors.ts';
import { maskEmail } from './mask.ts';
import { randomCode } from './methods.ts';

const input = z.object({ address: z.string().trim().min(1).max(320) });

/** Backup email (SPEC B1, B2, C3, D1, D2): a 4-character code like `5WLC`, mailed as the guide shows. */
export function backupEmailMethod(sender: CodeSender): CodeMethod {
  return new CodeMethod({
    kind: 'backupEmail',
    responsePattern: /^[A-Za-z0-9]{4}$/,
    newCode: () => randomCode('letters', 4),
    destination(raw, account) {
      const { address } = normalizeAddress(input.parse(raw).address);
      if (address === account.address) throw new PosternError('backup_email_is_own_mailbox');
      return { data: { address }, label: maskEmail(address) };
    },
    sendsTo: (data) => (data as { address: string }).address,
    deliver(env, code, lang) {
      const { address } = env.data as { address: string };
      const op = { lang, ip: env.request.ip ?? '', userAgent: env.request.userAgent ?? undefined };
      return sender.mailCode(env.account, address, code, sentCodeValidMinutes, op);
    },
  });
}
