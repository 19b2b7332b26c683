import { createHash, createHmac } from 'node:crypto';
import { callProvider, field } from './http.ts';
import { endpointSetting, providerSetting, timeoutSetting } from './settings.ts';
import type { SmsProvider } from '../../core/messagePorts.ts';
import { smsFailure } from './failure.ts';

export interface TencentSmsOptions {
  secretId: string;
  secretKey: string;
  sdkAppId: string;
  signName: string;
  /** An approved template whose only parameter `{1}` is the code. */
  templateId: string;
  region: string;
  endpoint: string;
  timeoutMs: number;
  now?: () => Date;
}

const sha256Hex = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

/** Tencent Cloud SMS, API 3.0 `SendSms` (version 2021-01-11), signed with TC3-HMAC-SHA256. */
export function tencentSms(options: TencentSmsOptions): SmsProvider {
  const now = options.now ?? (() => new Date());
  const service = 'sms';
  return {
    name: 'tencent',
    async send(phoneE164, _text, { code }) {
      const body = JSON.stringify({
        PhoneNumberSet: [phoneE164],
        SmsSdkAppId: options.sdkAppId,
        SignName: options.signName,
        TemplateId: options.templateId,
        TemplateParamSet: [code],
      });
      const url = new URL(`${options.endpoint}/`);
      const timestamp = Math.floor(now().getTime() / 1000);
      const date = new Date(timestamp * 1000).toISOString().slice(0, 10);
      const contentType = 'application/json; charset=utf-8';
      const action = 'SendSms';
      const signedHeaders = 'content-type;host;x-tc-action';
      const canonicalHeaders = `content-type:${contentType}\nhost:${url.host}\nx-tc-action:${action.toLowerCase()}\n`;
      const canonicalRequest = ['POST', '/', '', canonicalHeaders, signedHeaders, sha256Hex(body)].join('\n');
      const scope = `${date}/${service}/tc3_request`;
      const stringToSign = ['TC3-HMAC-SHA256', String(timestamp), scope, sha256Hex(canonicalRequest)].join('\n');
      const signingKey = hmac(hmac(hmac(`TC3${options.secretKey}`, date), service), 'tc3_request');
      const signature = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
      const reply = await callProvider('tencent', url.href, {
        method: 'POST',
        headers: {
          authorization: `TC3-HMAC-SHA256 Credential=${options.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
          'content-type': contentType,
          'x-tc-action': action,
          'x-tc-timestamp': String(timestamp),
          'x-tc-version': '2021-01-11',
          'x-tc-region': options.region,
        },
        body,
      }, options.timeoutMs);
      const errorCode = field(reply.json, 'Response', 'Error', 'Code');
      if (errorCode) throw smsFailure('tencent', errorCode);
      if (reply.status >= 400) throw smsFailure('tencent', `http_${reply.status}`);
      const status = field(reply.json, 'Response', 'SendStatusSet', 0, 'Code');
      if (status !== 'Ok') throw smsFailure('tencent', status || 'unexpected_reply');
    },
  };
}

export function tencentSmsFromSettings(raw: Record<string, string>): SmsProvider {
  const get = (name: string, fallback?: string) => providerSetting(raw, name, 'tencent', fallback);
  return tencentSms({
    secretId: get('POSTERN_TENCENT_SMS_SECRET_ID'),
    secretKey: get('POSTERN_TENCENT_SMS_SECRET_KEY'),
    sdkAppId: get('POSTERN_TENCENT_SMS_SDK_APP_ID'),
    signName: get('POSTERN_TENCENT_SMS_SIGN_NAME'),
    templateId: get('POSTERN_TENCENT_SMS_TEMPLATE_ID'),
    region: get('POSTERN_TENCENT_SMS_REGION', 'ap-guangzhou'),
    endpoint: endpointSetting(raw, 'POSTERN_TENCENT_SMS_ENDPOINT', 'tencent', 'https://sms.tencentcloudapi.com'),
    timeoutMs: timeoutSetting(raw),
  });
}
