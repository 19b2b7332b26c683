/** The pages of 安全设置, in tab order; a new security page adds itself here and in routes.tsx. */
export const securitySections = [
  { path: '/settings/security/two-factor', key: 'twoFactor' },
  { path: '/settings/security/app-passwords', key: 'appPasswords' },
  { path: '/settings/security/devices', key: 'devices' },
  { path: '/settings/security/activity', key: 'activity' },
  { path: '/settings/security/password', key: 'password' },
] as const;
