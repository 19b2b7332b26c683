import { Alert, Anchor, Stack, Tabs, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { linkTo, navigate, usePath } from '../../router.ts';
import { enrolmentPath } from '../../routes.tsx';
import { useSession } from '../../session.tsx';

const sections = [
  { path: '/admin', key: 'dashboard' },
  { path: '/admin/domains', key: 'domains' },
  { path: '/admin/accounts', key: 'accounts' },
  { path: '/admin/audit', key: 'audit' },
];

/** The frame of each admin page: a tab per area; accounts without the flag or without 2FA are told why not. */
export function AdminLayout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const path = usePath();
  const { account } = useSession();
  let body = children;
  if (!account?.isAdmin) body = <Alert color="red">{t('errors.admin_required')}</Alert>;
  else if (!account.twoFactorOn)
    body = (
      <Alert color="yellow" data-testid="admin-needs-2fa">
        {t('errors.admin_two_factor_required')}{' '}
        <Anchor c="inherit" fw={600} underline="always" {...linkTo(enrolmentPath)}>
          {t('policy.bind')}
        </Anchor>
      </Alert>
    );
  return (
    <Stack maw={1200}>
      <Title order={2}>{t('admin.title')}</Title>
      <Tabs value={path} onChange={(value) => value && navigate(value)}>
        <Tabs.List>
          {sections.map((s) => (
            <Tabs.Tab key={s.path} value={s.path} component="a" {...linkTo(s.path)}>
              {t(`admin.${s.key}.title`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      {body}
    </Stack>
  );
}
