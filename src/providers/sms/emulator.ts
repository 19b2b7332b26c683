import type { Clock } from '../../core/ports.ts';
import type { DevOutbox, SmsProvider } from '../../core/messagePorts.ts';

/** Development: text messages land in the dev outbox (the /dev/outbox page and `postern outbox`). */
export function emulatorSms(outbox: DevOutbox, clock: Clock): SmsProvider {
  return {
    name: 'emulator',
    async send(phoneE164, text) {
      await outbox.add({ channel: 'sms', to: phoneE164, from: null, subject: null, text, html: null }, clock.now());
    },
  };
}
