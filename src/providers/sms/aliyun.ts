import { createHmac, randomUUID } from 'node:crypto';
import { splitPhone } from '../../core/phone.ts';
import { callProvider, field } from './http.ts';
import { endpointSetting, providerSetting, timeoutSetting } from './settings.ts';
import type { SmsProvider } from '../../core/messagePorts.ts';
import { smsFailure } from './failure.ts';

export interface AliyunSmsOptions {
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  /** An approved verification-code template whose variable is `${code}`. */
  templateCode: string;
  regionId: string;
  endpoint: string;
  timeoutMs: number;
  now?: () => Date;
}

/** RFC 3986 percent-encoding as the RPC signature document requires: only A-Z a-z 0-9 - _ . ~ stay. */
function aliyunPercentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Mainland numbers go as 11 digits; others as country code and number without `+`. */
const aliyunPhone = (e164: string): string => {
  const { countryCode, national } = splitPhone(e164);
  return countryCode === '86' ? national : e164.slice(1);
};

/** Aliyun SMS, RPC API `SendSms` (version 2017-05-25), signature version 1.0 (HMAC-SHA1). */
export function aliyunSms(options: AliyunSmsOptions): SmsProvider {
  const now = options.now ?? (() => new Date());
  return {
    name: 'aliyun',
    async send(phoneE164, _text, { code }) {
      const params: Record<string, string> = {
        AccessKeyId: options.accessKeyId,
        Action: 'SendSms',
        Format: 'JSON',
        PhoneNumbers: aliyunPhone(phoneE164),
        RegionId: options.regionId,
        SignName: options.signName,
        SignatureMethod: 'HMAC-SHA1',
        SignatureNonce: randomUUID(),
        SignatureVersion: '1.0',
        TemplateCode: options.templateCode,
        TemplateParam: JSON.stringify({ code }),
        Timestamp: now().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        Version: '2017-05-25',
      };
      const canonical = Object.keys(params)
        .sort()
        .map((k) => `${aliyunPercentEncode(k)}=${aliyunPercentEncode(params[k])}`)
        .join('&');
      const stringToSign = `POST&${aliyunPercentEncode('/')}&${aliyunPercentEncode(canonical)}`;
      const signature = createHmac('sha1', `${options.accessKeySecret}&`).update(stringToSign, 'utf8').digest('base64');
      const reply = await callProvider('aliyun', `${options.endpoint}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: `Signature=${aliyunPercentEncode(signature)}&${canonical}`,
      }, options.timeoutMs);
      const providerCode = field(reply.json, 'Code');
      if (reply.status >= 400 || providerCode !== 'OK') throw smsFailure('aliyun', providerCode || `http_${reply.status}`);
    },
  };
}

export function aliyunSmsFromSettings(raw: Record<string, string>): SmsProvider {
  const get = (name: string, fallback?: string) => providerSetting(raw, name, 'aliyun', fallback);
  return aliyunSms({
    accessKeyId: get('POSTERN_ALIYUN_SMS_ACCESS_KEY_ID'),
    accessKeySecret: get('POSTERN_ALIYUN_SMS_ACCESS_KEY_SECRET'),
    signName: get('POSTERN_ALIYUN_SMS_SIGN_NAME'),
    templateCode: get('POSTERN_ALIYUN_SMS_TEMPLATE_CODE'),
    regionId: get('POSTERN_ALIYUN_SMS_REGION', 'cn-hangzhou'),
    endpoint: endpointSetting(raw, 'POSTERN_ALIYUN_SMS_ENDPOINT', 'aliyun', 'https://dysmsapi.aliyuncs.com'),
    timeoutMs: timeoutSetting(raw),
  });
}
