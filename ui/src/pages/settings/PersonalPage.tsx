import { Table, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../session.tsx';
import { SettingsCard } from './SettingsCard.tsx';

/** 个人设置: path 1 of the guide goes on from here to 安全设置. */
export function PersonalPage() {
  const { t } = useTranslation();
  const { account } = useSession();
  if (!account) return null;
  return (
    <>
      <Title order={2}>{t('settings.personal.title')}</Title>
      <Table variant="vertical" withTableBorder maw={560}>
        <Table.Tbody>
          <Table.Tr>
            <Table.Th w={160}>{t('settings.personal.name')}</Table.Th>
            <Table.Td>{account.displayName}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t('settings.personal.address')}</Table.Th>
            <Table.Td>{account.address}</Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
      <SettingsCard to="/settings/security" title={t('security.title')} description={t('settings.securityCard')} />
    </>
  );
}
