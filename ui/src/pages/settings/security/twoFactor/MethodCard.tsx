import { Badge, Button, Card, Group, Modal, Stack, Text } from '@mantine/core';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../../api.ts';
import { notify } from '../../../../notify.ts';
import type { Factor, Overview, VerificationView } from '../../../../twoFactor.ts';
import type { TwoFactorMethodCard } from '../twoFactorMethods.ts';
import { KeyRows, RenameDialog } from './KeyRows.tsx';
import { VerifyDialog } from './VerifyDialog.tsx';

type Step =
  | null
  | { kind: 'confirmUnbind'; factor: Factor }
  | { kind: 'verify'; view: VerificationView; factor: Factor }
  | { kind: 'bind'; changeId?: string }
  | { kind: 'rename'; factor: Factor };

interface Props {
  card: TwoFactorMethodCard;
  state: Overview['methods'][number] | undefined;
  /** Whether this is the only bound method: unbinding it turns 2FA off (D9). */
  last: boolean;
  /** Whether 2FA is on already: then binding this method does not turn it on (B6). */
  twoFactorOn: boolean;
  onChanged(): void;
}

/**
 * One method on 二次验证设置: its state and 绑定 / 修改 / 解绑 (A4, B, D). A method bound several
 * times (security keys, X1) lists each factor with its own 重命名 / 修改 / 解绑 and can add another.
 */
export function MethodCard({ card, state, last, twoFactorOn, onChanged }: Props) {
  const { t } = useTranslation();
  const [step, setStep] = useState<Step>(null);
  const close = useCallback(() => setStep(null), []);
  const factor = state?.factor ?? null;
  const several = !!state?.several;
  const available = !!state?.available && !!card.BindDialog;
  const title = t(`security.twoFactor.methods.${card.id}.title`);
  const Bind = card.BindDialog;
  const nameOf = (f: Factor) => (several ? `${title}“${f.label}”` : title);

  const begin = async (f: Factor, action: 'unbind' | 'change') => {
    setStep({ kind: 'verify', view: await api.post<VerificationView>(`/api/2fa/factors/${encodeURIComponent(f.id)}/${action}`), factor: f });
  };
  const bound = (changed: boolean) => {
    setStep(null);
    notify('success', t(changed ? 'twoFactor.changed' : twoFactorOn ? 'twoFactor.boundMore' : 'twoFactor.bound', { method: title }));
    onChanged();
  };
  const actions = {
    change: (f: Factor) => void begin(f, 'change').catch(() => {}),
    unbind: (f: Factor) => setStep({ kind: 'confirmUnbind', factor: f }),
    rename: (f: Factor) => setStep({ kind: 'rename', factor: f }),
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
          {!several && factor?.label && (
            <Text size="sm" data-testid="method-label">
              {factor.label}
            </Text>
          )}
        </Stack>
        <Group gap="xs" wrap="nowrap">
          {factor && !several ? (
            <>
              <Button size="xs" variant="light" disabled={!available} onClick={() => actions.change(factor)} data-testid="method-change">
                {t('twoFactor.change')}
              </Button>
              <Button size="xs" variant="light" color="red" onClick={() => actions.unbind(factor)} data-testid="method-unbind">
                {t('twoFactor.unbind')}
              </Button>
            </>
          ) : (
            <Button size="xs" disabled={!available} onClick={() => setStep({ kind: 'bind' })} data-testid="method-bind">
              {factor ? t('twoFactor.webauthn.add') : t('twoFactor.bind')}
            </Button>
          )}
        </Group>
      </Group>
      {several && state && state.factors.length > 0 && <KeyRows factors={state.factors} available={available} {...actions} />}

      {step?.kind === 'confirmUnbind' && (
        <Modal opened onClose={close} title={t('twoFactor.unbindTitle', { method: nameOf(step.factor) })} centered data-testid="unbind-confirm">
          <Stack>
            <Text size="sm">{t('twoFactor.unbindConfirm', { method: nameOf(step.factor) })}</Text>
            {last && (state?.factors.length ?? 0) <= 1 && (
              <Text size="sm" c="red" fw={600} data-testid="last-method-warning">
                {t('twoFactor.lastMethodWarning')}
              </Text>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('twoFactor.cancel')}
              </Button>
              <Button color="red" onClick={() => void begin(step.factor, 'unbind').catch(close)} data-testid="unbind-confirm-ok">
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
            const method = nameOf(step.factor);
            notify('success', reply.status === 'verified' && !reply.twoFactorOn ? t('twoFactor.unboundOff', { method }) : t('twoFactor.unbound', { method }));
            onChanged();
          }}
        />
      )}
      {step?.kind === 'rename' && <RenameDialog factor={step.factor} onClose={close} onRenamed={() => {
            close();
            onChanged();
          }} />}
      {step?.kind === 'bind' && Bind && <Bind changeId={step.changeId} onClose={close} onBound={() => bound(!!step.changeId)} />}
    </Card>
  );
}
