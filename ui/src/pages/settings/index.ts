// The settings area's chunk: the signed-in frame, the welcome page and every settings page.
import './styles.ts';

export { AppFrame } from '../../components/AppFrame.tsx';
export { MailSettingsPage } from './MailSettingsPage.tsx';
export { PersonalPage } from './PersonalPage.tsx';
export { ActivityPage } from './security/ActivityPage.tsx';
export { AppPasswordsPage } from './security/AppPasswordsPage.tsx';
export { DevicesPage } from './security/DevicesPage.tsx';
export { PasswordPage } from './security/PasswordPage.tsx';
export { SecurityPage } from './security/SecurityPage.tsx';
export { SecurityTabs } from './security/SecurityTabs.tsx';
export { TwoFactorPage } from './security/TwoFactorPage.tsx';
export { SettingsLayout } from './SettingsLayout.tsx';
export { WelcomePage } from './WelcomePage.tsx';
