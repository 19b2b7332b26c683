import { Modal, Text } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { VerifyForm } from '../../../../components/VerifyForm.tsx';
import { settingsChannel, type CheckReply, type VerificationView } from '../../../../twoFactor.ts';

/** Verifies the user before an unbind or change, with the methods the server allows for it. */
export function VerifyDialog({ view, onClose, onVerified }: { view: VerificationView; onClose(): void; onVerified(reply: CheckReply): void }) {
  const { t } = useTranslation();
  const channel = useMemo(() => settingsChannel(view.id), [view.id]);
  return (
    <Modal opened onClose={onClose} title={t(`twoFactor.verifyTitle.${view.purpose}`)} centered data-testid="verify-dialog">
      <Text size="sm" c="dimmed" mb="md">
        {t(`twoFactor.verifyIntro.${view.purpose}`)}
      </Text>
      <VerifyForm
        methods={view.methods}
        defaultId={view.default}
        channel={channel}
        onVerified={(r) => onVerified(r as CheckReply)}
        onCancel={onClose}
        // After 确定, unbinding sends the code to the backup address or phone being removed (D1, D5).
        autoSend={() => view.purpose === 'unbind'}
      />
    </Modal>
  );
}
