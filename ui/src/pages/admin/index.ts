// The admin console's chunk (SPEC X5): dashboard, domains, accounts, audit log.
import './styles.ts';

export { AppFrame } from '../../components/AppFrame.tsx';
export { AccountsPage } from './AccountsPage.tsx';
export { AdminLayout } from './AdminLayout.tsx';
export { AuditPage } from './AuditPage.tsx';
export { DashboardPage } from './DashboardPage.tsx';
export { DomainsPage } from './DomainsPage.tsx';
