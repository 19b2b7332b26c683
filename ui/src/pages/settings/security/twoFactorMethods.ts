import type { ComponentType } from 'react';
import type { MethodKind } from '../../../twoFactor.ts';
import { BackupEmailBindDialog, SmsBindDialog } from './twoFactor/SentCodeBindDialog.tsx';
import { TotpBindDialog } from './twoFactor/TotpBindDialog.tsx';
import { WebAuthnBindDialog } from './twoFactor/WebAuthnBindDialog.tsx';
import { WechatBindDialog } from './twoFactor/WechatBindDialog.tsx';

/** What a method's bind dialog gets: `changeId` when it replaces a bound one (换绑). */
export interface BindDialogProps {
  changeId?: string;
  onClose(): void;
  onBound(): void;
}

/**
 * One card per second-step method on 二次验证设置, in the guide's order. Titles and descriptions
 * come from `security.twoFactor.methods.<id>`; state, 修改 and 解绑 are common to all methods;
 * binding is the method's own dialog. A method without one is shown as not yet available.
 */
export interface TwoFactorMethodCard {
  id: MethodKind;
  BindDialog?: ComponentType<BindDialogProps>;
}

export const twoFactorMethods: TwoFactorMethodCard[] = [
  { id: 'backupEmail', BindDialog: BackupEmailBindDialog },
  { id: 'wechat', BindDialog: WechatBindDialog },
  { id: 'sms', BindDialog: SmsBindDialog },
  { id: 'totp', BindDialog: TotpBindDialog },
  { id: 'webauthn', BindDialog: WebAuthnBindDialog },
];
