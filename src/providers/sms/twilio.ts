import { callProvider, field } from './http.ts';
import { endpointSetting, providerSetting, timeoutSetting } from './settings.ts';
import type { SmsProvider } from '../../core/messagePorts.ts';
import { smsFailure } from './failure.ts';

export interface TwilioSmsOptions {
  accountSid: string;
  authToken: string;
  /** A Twilio phone number in E.164, or a Messaging Service SID (`MG…`). */
  from: string;
  endpoint: string;
  timeoutMs: number;
}

/** Twilio Programmable Messaging: create a Message resource (form body, HTTP basic auth). */
export function twilioSms(options: TwilioSmsOptions): SmsProvider {
  const auth = Buffer.from(`${options.accountSid}:${options.authToken}`, 'utf8').toString('base64');
  const url = `${options.endpoint}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`;
  return {
    name: 'twilio',
    async send(phoneE164, text) {
      const form = new URLSearchParams({ To: phoneE164, Body: text });
      form.set(options.from.startsWith('MG') ? 'MessagingServiceSid' : 'From', options.from);
      const reply = await callProvider('twilio', url, {
        method: 'POST',
        headers: { authorization: `Basic ${auth}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
      }, options.timeoutMs);
      if (reply.status >= 400) throw smsFailure('twilio', field(reply.json, 'code') || `http_${reply.status}`);
      const status = field(reply.json, 'status');
      if (status === 'failed' || status === 'undelivered') throw smsFailure('twilio', field(reply.json, 'error_code') || status);
    },
  };
}

export function twilioSmsFromSettings(raw: Record<string, string>): SmsProvider {
  const get = (name: string) => providerSetting(raw, name, 'twilio');
  return twilioSms({
    accountSid: get('POSTERN_TWILIO_ACCOUNT_SID'),
    authToken: get('POSTERN_TWILIO_AUTH_TOKEN'),
    from: get('POSTERN_TWILIO_FROM'),
    endpoint: endpointSetting(raw, 'POSTERN_TWILIO_ENDPOINT', 'twilio', 'https://api.twilio.com'),
    timeoutMs: timeoutSetting(raw),
  });
}
