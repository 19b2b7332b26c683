import type { WechatProvider } from '../../core/wechatPorts.ts';

/**
 * Development and tests: the QR holds a URL of our own page /dev/wechat/scan that plays the phone
 * (a path: the page makes it absolute with the address it was opened at),
 * and a "code" is the pretend WeChat user id typed there (or in /dev/wechat/assistant).
 */
export function emulatorWechat(): WechatProvider {
  const identity = async (code: string) => ({ userId: code, openid: code });
  return {
    name: 'emulator',
    qrFor: (challengeId) => ({ scanUrl: `/dev/wechat/scan?c=${encodeURIComponent(challengeId)}` }),
    scanner: identity,
    miniUser: identity,
  };
}
