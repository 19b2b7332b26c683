import type { Config } from '../../config.ts';
import type { Clock } from '../../core/ports.ts';
import type { DevOutbox, SmsProvider } from '../../core/messagePorts.ts';
import { aliyunSmsFromSettings } from './aliyun.ts';
import { emulatorSms } from './emulator.ts';
import { tencentSmsFromSettings } from './tencent.ts';
import { twilioSmsFromSettings } from './twilio.ts';

/** The adapter POSTERN_SMS_PROVIDER names, configured from its own POSTERN_* settings. */
export function createSmsProvider(config: Pick<Config, 'smsProvider' | 'raw'>, outbox: DevOutbox, clock: Clock): SmsProvider {
  switch (config.smsProvider) {
    case 'aliyun': return aliyunSmsFromSettings(config.raw);
    case 'tencent': return tencentSmsFromSettings(config.raw);
    case 'twilio': return twilioSmsFromSettings(config.raw);
    case 'emulator': return emulatorSms(outbox, clock);
  }
}
