import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useMeta } from '../meta.ts';
import { useSession } from '../session.tsx';

/** The help contacts (guide §6): the signed-in account's domain's, else the configured ones; on the login, settings and error pages. */
export function HelpLine() {
  const { t } = useTranslation();
  const meta = useMeta();
  const domainHelp = useSession().account?.help;
  if (!meta) return null;
  const { phone, email } = domainHelp ?? meta.help;
  const contacts = [phone && t('help.phone', { phone }), email && t('help.email', { email })].filter(Boolean);
  return (
    <Text size="sm" c="dimmed" data-testid="help-line">
      {t('help.intro')}{' '}
      {contacts.length
        ? contacts.map((c) => (
            <span key={c} style={{ whiteSpace: 'nowrap', marginRight: '1em' }}>
              {c}
            </span>
          ))
        : t('help.postmaster')}
    </Text>
  );
}
