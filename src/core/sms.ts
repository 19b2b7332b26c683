import { z } from 'zod';
import type { CodeSender } from './codeSender.ts';
import { CodeMethod, sentCodeValidMinutes } from './codeMethod.ts';
import { maskPhone } from './mask.ts';
import { randomCode } from './methods.ts';
import { normalizePhone } from './phone.ts';

const input = z.object({ phone: z.string().trim().min(1).max(32) });

/** SMS (SPEC B4, C5, D5, D6): a 6-digit code texted to the bound mobile number. */
export function smsMethod(sender: CodeSender): CodeMethod {
  return new CodeMethod({
    kind: 'sms',
    responsePattern: /^\d{6}$/,
    newCode: () => randomCode('digits', 6),
    destination(raw) {
      const phone = normalizePhone(input.parse(raw).phone);
      return { data: { phone }, label: maskPhone(phone) };
    },
    sendsTo: (data) => (data as { phone: string }).phone,
    deliver(env, code, lang) {
      return sender.textCode((env.data as { phone: string }).phone, code, sentCodeValidMinutes, { lang });
    },
  });
}
