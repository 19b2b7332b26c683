import { Button, Center, Group, Loader, Modal, Stack, Text } from '@mantine/core';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../../api.ts';
import { useApproval, WechatQr } from '../../../../components/WechatQr.tsx';
import { settingsChannel, type BindStarted } from '../../../../twoFactor.ts';
import type { BindDialogProps } from '../twoFactorMethods.ts';

/** 微信 binding (B3, D4): scan the QR in WeChat, authorise on the phone; the dialog notices by itself. */
export function WechatBindDialog({ changeId, onClose, onBound }: BindDialogProps) {
  const { t } = useTranslation();
  const [bind, setBind] = useState<BindStarted | null>(null);

  useEffect(() => {
    api.post<BindStarted>('/api/2fa/bind', { kind: 'wechat', changeId }).then(setBind, onClose);
  }, [changeId, onClose]);

  return (
    <Modal opened onClose={onClose} title={t(changeId ? 'twoFactor.wechat.changeTitle' : 'twoFactor.wechat.bindTitle')} centered size="md" data-testid="wechat-dialog">
      {bind ? (
        <BindQr bind={bind} onBound={onBound} />
      ) : (
        <Center h={200}>
          <Loader />
        </Center>
      )}
      <Group justify="flex-end" mt="md">
        <Button variant="default" onClick={onClose}>
          {t('twoFactor.cancel')}
        </Button>
      </Group>
    </Modal>
  );
}

function BindQr({ bind, onBound }: { bind: BindStarted; onBound(): void }) {
  const { t } = useTranslation();
  const channel = useMemo(() => settingsChannel(bind.verificationId), [bind.verificationId]);
  const [first, setFirst] = useState(true);
  // The bind reply carries the first QR; 刷新二维码 asks for another.
  const start = useCallback(async () => {
    if (first) {
      setFirst(false);
      return bind.challenge;
    }
    return (await channel.start(bind.factorId)).display;
  }, [first, bind, channel]);
  const approval = useApproval(start, () => channel.check(bind.factorId, ''), onBound, bind.factorId);
  return (
    <Stack>
      <Text size="sm">{t('twoFactor.wechat.scan')}</Text>
      <WechatQr {...approval} />
    </Stack>
  );
}
