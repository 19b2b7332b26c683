import type { ComponentType, ReactNode } from 'react';
import { AppFrame } from './components/AppFrame.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { LoginVerifyPage } from './pages/LoginVerifyPage.tsx';
import { MailSettingsPage } from './pages/settings/MailSettingsPage.tsx';
import { PersonalPage } from './pages/settings/PersonalPage.tsx';
import { ActivityPage } from './pages/settings/security/ActivityPage.tsx';
import { AppPasswordsPage } from './pages/settings/security/AppPasswordsPage.tsx';
import { DevicesPage } from './pages/settings/security/DevicesPage.tsx';
import { PasswordPage } from './pages/settings/security/PasswordPage.tsx';
import { SecurityPage } from './pages/settings/security/SecurityPage.tsx';
import { SecurityTabs } from './pages/settings/security/SecurityTabs.tsx';
import { TwoFactorPage } from './pages/settings/security/TwoFactorPage.tsx';
import { SettingsLayout } from './pages/settings/SettingsLayout.tsx';
import { WelcomePage } from './pages/WelcomePage.tsx';

type Frame = ComponentType<{ children: ReactNode }>;

export interface Route {
  path: string;
  page: ComponentType;
  /** public: anyone (login, step 2, dev pages); account: a signed-in user, else off to /login. */
  access: 'public' | 'account';
  /** Wraps the page; nested frames are listed outermost first. */
  frames?: Frame[];
}

const settings: Frame[] = [AppFrame, SettingsLayout];
const security: Frame[] = [...settings, SecurityTabs];

/** Every page of the app; paths match exactly. */
export const routes: Route[] = [
  { path: '/login', page: LoginPage, access: 'public' },
  { path: '/login/verify', page: LoginVerifyPage, access: 'public' },
  { path: '/', page: WelcomePage, access: 'account', frames: [AppFrame] },
  { path: '/settings/personal', page: PersonalPage, access: 'account', frames: settings },
  { path: '/settings/mail', page: MailSettingsPage, access: 'account', frames: settings },
  { path: '/settings/security', page: SecurityPage, access: 'account', frames: settings },
  { path: '/settings/security/two-factor', page: TwoFactorPage, access: 'account', frames: security },
  { path: '/settings/security/app-passwords', page: AppPasswordsPage, access: 'account', frames: security },
  { path: '/settings/security/devices', page: DevicesPage, access: 'account', frames: security },
  { path: '/settings/security/activity', page: ActivityPage, access: 'account', frames: security },
  { path: '/settings/security/password', page: PasswordPage, access: 'account', frames: security },
];
