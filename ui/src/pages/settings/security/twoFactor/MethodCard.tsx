import { Badge, Button, Card, Group, Modal, Stack, Text } from '@mantine/core';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../../api.ts';
import { notify } from '../../../../notify.ts';
import type { Overview, VerificationView } from '../../../../twoFactor.ts';
import type { TwoFactorMethodCard } from '../twoFactorMethods.ts';
import { VerifyDialog } from './VerifyDialog.tsx';

type Step =
  | null
  | { kind: 'confirmUnbind' }
  | { kind: 'verify'; view: VerificationView }
  | { kind: 'bind'; changeId?: string };

interface Props {
  card: TwoFactorMethodCard;
  state: Overview['methods'][number] | undefined;
  /** Whether this is the only bound method: unbinding it turns 2FA off (D9). */
  last: boolean;
  /** Whether 2FA is on already: then binding this method does not turn it on (B6). */
  twoFactorOn: boolean;
  onChanged(): void;
}

/** One method on 二次验证设置: its state and 绑定 / 修改 / 解绑 (A4, B, D). */
export function MethodCard({ card, state, last, twoFactorOn, onChanged }: Props) {
  const { t } = useTranslation();
  const [step, setStep] = useState<Step>(null);
  const close = useCallback(() => setStep(null), []);
  const factor = state?.factor ?? null;
  const available = !!state?.available && !!card.BindDialog;
  const title = t(`security.twoFactor.methods.${card.id}.title`);
  const Bind = card.BindDialog;

  const beginUnbind = async () => {
    setStep({ kind: 'verify', view: await api.post<VerificationView>(`/api/2fa/factors/${encodeURIComponent(factor!.id)}/unbind`) });
  };
  const beginChange = async () => {
    setStep({ kind: 'verify', view: await api.post<VerificationView>(`/api/2fa/factors/${encodeURIComponent(factor!.id)}/change`) });
  };
  const bound = (changed: boolean) => {
    setStep(null);
    notify('success', t(changed ? 'twoFactor.changed' : twoFactorOn ? 'twoFactor.boundMore' : 'twoFactor.bound', { method: title }));
    onChanged();
  };

  return (
    <Card withBorder radius="md" data-testid={`method-${card.id}`}>
      <Group justify="space-between" wrap="nowrap">
        <Stack gap={4}>
          <Group gap="xs">
            <Text fw={600}>{title}</Text>
            {factor ? (
              <Badge color="green" variant="light" data-testid="method-state">
                {t('twoFactor.state.bound')}
              </Badge>
            ) : available ? (
              <Badge color="gray" variant="light" data-testid="method-state">
                {t('twoFactor.state.unbound')}
              </Badge>
            ) : (
              <Badge color="gray" variant="outline" data-testid="method-state">
                {t('twoFactor.state.unavailable')}
              </Badge>
            )}
          </Group>
          <Text size="sm" c="dimmed">
            {t(`security.twoFactor.methods.${card.id}.description`)}
          </Text>
          {factor?.label && (
            <Text size="sm" data-testid="method-label">
              {factor.label}
            </Text>
          )}
        </Stack>
        <Group gap="xs" wrap="nowrap">
          {factor ? (
            <>
              <Button size="xs" variant="light" disabled={!available} onClick={() => void beginChange().catch(() => {})} data-testid="method-change">
                {t('twoFactor.change')}
              </Button>
              <Button size="xs" variant="light" color="red" onClick={() => setStep({ kind: 'confirmUnbind' })} data-testid="method-unbind">
                {t('twoFactor.unbind')}
              </Button>
            </>
          ) : (
            <Button size="xs" disabled={!available} onClick={() => setStep({ kind: 'bind' })} data-testid="method-bind">
              {t('twoFactor.bind')}
            </Button>
          )}
        </Group>
      </Group>

      {step?.kind === 'confirmUnbind' && (
        <Modal opened onClose={close} title={t('twoFactor.unbindTitle', { method: title })} centered data-testid="unbind-confirm">
          <Stack>
            <Text size="sm">{t('twoFactor.unbindConfirm', { method: title })}</Text>
            {last && (
              <Text size="sm" c="red" fw={600} data-testid="last-method-warning">
                {t('twoFactor.lastMethodWarning')}
              </Text>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('twoFactor.cancel')}
              </Button>
              <Button color="red" onClick={() => void beginUnbind().catch(close)} data-testid="unbind-confirm-ok">
                {t('twoFactor.confirm')}
              </Button>
            </Group>
          </Stack>
        </Modal>
      )}
      {step?.kind === 'verify' && (
        <VerifyDialog
          view={step.view}
          onClose={close}
          onVerified={(reply) => {
            if (step.view.purpose === 'change') return setStep({ kind: 'bind', changeId: step.view.id });
            setStep(null);
            notify('success', reply.status === 'verified' && !reply.twoFactorOn ? t('twoFactor.unboundOff', { method: title }) : t('twoFactor.unbound', { method: title }));
            onChanged();
          }}
        />
      )}
      {step?.kind === 'bind' && Bind && <Bind changeId={step.changeId} onClose={close} onBound={() => bound(!!step.changeId)} />}
    </Card>
  );
}
