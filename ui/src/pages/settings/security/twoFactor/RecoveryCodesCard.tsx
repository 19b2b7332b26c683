import { Alert, Badge, Button, Card, CopyButton, Group, Modal, SimpleGrid, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../../api.ts';
import type { Overview } from '../../../../twoFactor.ts';

/** 恢复码 (X2): how many are left, and 生成恢复码 (the step-up dialog asks for a verification first). */
export function RecoveryCodesCard({ recovery, onChanged }: { recovery: Overview['recovery']; onChanged(): void }) {
  const { t } = useTranslation();
  const [codes, setCodes] = useState<string[] | null>(null);

  const generate = async () => {
    setCodes((await api.post<{ codes: string[] }>('/api/2fa/recovery')).codes);
    onChanged();
  };

  return (
    <Card withBorder radius="md" data-testid="recovery-codes">
      <Group justify="space-between" wrap="nowrap">
        <Stack gap={4}>
          <Group gap="xs">
            <Text fw={600}>{t('security.twoFactor.methods.recovery.title')}</Text>
            {recovery && (
              <Badge color={recovery.low ? 'orange' : 'green'} variant="light" data-testid="recovery-left">
                {t('twoFactor.recovery.left', { left: recovery.left, total: recovery.total })}
              </Badge>
            )}
          </Group>
          <Text size="sm" c="dimmed">
            {t('security.twoFactor.methods.recovery.description')}
          </Text>
          {recovery?.low && (
            <Text size="sm" c="orange" data-testid="recovery-low">
              {t('twoFactor.recovery.low')}
            </Text>
          )}
        </Stack>
        <Button size="xs" variant={recovery ? 'light' : 'filled'} onClick={() => void generate().catch(() => {})} data-testid="recovery-generate">
          {t(recovery ? 'twoFactor.recovery.regenerate' : 'twoFactor.recovery.generate')}
        </Button>
      </Group>

      {codes && <CodesDialog codes={codes} onClose={() => setCodes(null)} />}
    </Card>
  );
}

/** The new codes, shown this once. */
function CodesDialog({ codes, onClose }: { codes: string[]; onClose(): void }) {
  const { t } = useTranslation();
  const text = `${t('twoFactor.recovery.fileTitle')}\n\n${codes.join('\n')}\n`;
  const download = () => {
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
    link.download = 'postern-recovery-codes.txt';
    link.click();
    URL.revokeObjectURL(link.href);
  };
  return (
    <Modal opened onClose={onClose} title={t('twoFactor.recovery.dialogTitle')} centered closeOnClickOutside={false} data-testid="recovery-dialog">
      <Stack>
        <Alert color="orange" data-testid="recovery-warning">
          {t('twoFactor.recovery.warning')}
        </Alert>
        <SimpleGrid cols={2} spacing="xs" p="md" bg="gray.0" style={{ borderRadius: 8 }}>
          {codes.map((code) => (
            <Text key={code} ff="monospace" fz="lg" fw={600} ta="center" data-testid="recovery-code">
              {code}
            </Text>
          ))}
        </SimpleGrid>
        <Group grow>
          <CopyButton value={codes.join('\n')}>
            {({ copied, copy }) => (
              <Button variant={copied ? 'filled' : 'light'} color={copied ? 'teal' : undefined} onClick={copy} data-testid="recovery-copy">
                {copied ? t('twoFactor.copied') : t('twoFactor.copy')}
              </Button>
            )}
          </CopyButton>
          <Button variant="light" onClick={download} data-testid="recovery-download">
            {t('twoFactor.recovery.download')}
          </Button>
        </Group>
        <Group justify="flex-end">
          <Button onClick={onClose} data-testid="recovery-done">
            {t('twoFactor.recovery.done')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
