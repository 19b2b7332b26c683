import type { ComponentType } from 'react';

/**
 * One card per second-step method on 二次验证设置. Titles and descriptions come from
 * `security.twoFactor.methods.<id>` in the catalogues; `Controls` (state and the 绑定 / 修改 / 解绑
 * buttons with their dialogs) is supplied by the method's own module.
 */
export interface TwoFactorMethodCard {
  id: string;
  Controls?: ComponentType;
}

export const twoFactorMethods: TwoFactorMethodCard[] = [{ id: 'backupEmail' }, { id: 'wechat' }, { id: 'sms' }, { id: 'totp' }];
