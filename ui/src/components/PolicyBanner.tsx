import { Alert, Anchor } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { linkTo } from '../router.ts';
import { enrolmentPath } from '../routes.tsx';
import { useSession } from '../session.tsx';

/** The domain requires two-step verification (SPEC X5): the days of grace left, or that a method must be bound now. */
export function PolicyBanner() {
  const { t } = useTranslation();
  const required = useSession().account?.twoFactorRequired;
  if (!required) return null;
  return (
    <Alert color={required.state === 'grace' ? 'yellow' : 'red'} mb="md" data-testid="policy-banner">
      {required.state === 'grace' ? t('policy.grace', { days: required.daysLeft }) : t('policy.enforced')}{' '}
      <Anchor c="inherit" fw={600} underline="always" {...linkTo(enrolmentPath)}>
        {t('policy.bind')}
      </Anchor>
    </Alert>
  );
}
