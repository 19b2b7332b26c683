import { checkWechat, type Config } from '../../config.ts';
import { emulatorWechat } from './emulator.ts';
import { officialWechatFromSettings } from './official.ts';
import type { WechatProvider } from '../../core/wechatPorts.ts';

/** The adapter POSTERN_WECHAT_PROVIDER names. */
export function createWechatProvider(config: Pick<Config, 'wechatProvider' | 'wechat' | 'publicUrl' | 'raw'>): WechatProvider {
  if (config.wechatProvider === 'emulator') return emulatorWechat();
  checkWechat(config);
  return officialWechatFromSettings(config.wechat, config.publicUrl, config.raw);
}
