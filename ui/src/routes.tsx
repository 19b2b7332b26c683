import type { ComponentType, ReactNode } from 'react';

export type Frame = ComponentType<{ children: ReactNode }>;

/** What a route shows: its page inside its frames, listed outermost first. */
export interface View {
  page: ComponentType;
  frames: Frame[];
}

export interface Route {
  path: string;
  /** public: anyone (login, step 2, dev pages); account: a signed-in user, else off to /login. */
  access: 'public' | 'account';
  /** Loads the code of the route's area (one chunk each: login, settings, admin, later mail). */
  view: () => Promise<View>;
}

/** The routes of one area share its chunk, fetched when the first of them is opened. */
function area<M>(load: () => Promise<M>) {
  return (page: (m: M) => ComponentType, frames: (m: M) => Frame[] = () => []) =>
    async (): Promise<View> => {
      const m = await load();
      return { page: page(m), frames: frames(m) };
    };
}

/** Where an account held by its domain's 2FA policy binds its first method (SPEC X5). */
export const enrolmentPath = '/settings/security/two-factor';

type Settings = typeof import('./pages/settings/index.ts');
type Admin = typeof import('./pages/admin/index.ts');
const admin = area(() => import('./pages/admin/index.ts'));
const adminFrames = (m: Admin): Frame[] => [m.AppFrame, m.AdminLayout];
const login = area(() => import('./pages/login/index.ts'));
const settings = area(() => import('./pages/settings/index.ts'));
const settingsFrames = (m: Settings): Frame[] => [m.AppFrame, m.SettingsLayout];
const mail = area(() => import('./pages/mail/index.ts'));
const securityFrames = (m: Settings): Frame[] => [...settingsFrames(m), m.SecurityTabs];

/** Every page of the app; paths match exactly. */
export const routes: Route[] = [
  { path: '/login', access: 'public', view: login((m) => m.LoginPage) },
  { path: '/login/verify', access: 'public', view: login((m) => m.LoginVerifyPage) },
  { path: '/', access: 'account', view: settings((m) => m.WelcomePage, (m) => [m.AppFrame]) },
  { path: '/mail', access: 'account', view: mail((m) => m.MailPage, (m) => [m.AppFrame]) },
  { path: '/settings/personal', access: 'account', view: settings((m) => m.PersonalPage, settingsFrames) },
  { path: '/settings/mail', access: 'account', view: settings((m) => m.MailSettingsPage, settingsFrames) },
  { path: '/settings/security', access: 'account', view: settings((m) => m.SecurityPage, settingsFrames) },
  { path: '/settings/security/two-factor', access: 'account', view: settings((m) => m.TwoFactorPage, securityFrames) },
  { path: '/settings/security/app-passwords', access: 'account', view: settings((m) => m.AppPasswordsPage, securityFrames) },
  { path: '/settings/security/devices', access: 'account', view: settings((m) => m.DevicesPage, securityFrames) },
  { path: '/settings/security/activity', access: 'account', view: settings((m) => m.ActivityPage, securityFrames) },
  { path: '/settings/security/password', access: 'account', view: settings((m) => m.PasswordPage, securityFrames) },
  { path: '/admin', access: 'account', view: admin((m) => m.DashboardPage, adminFrames) },
  { path: '/admin/domains', access: 'account', view: admin((m) => m.DomainsPage, adminFrames) },
  { path: '/admin/accounts', access: 'account', view: admin((m) => m.AccountsPage, adminFrames) },
  { path: '/admin/audit', access: 'account', view: admin((m) => m.AuditPage, adminFrames) },
];
