import { Alert, Button, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** The end of a bind dialog's form: its error line, then 取消 and the submitting 确定. */
export function DialogActions({ testId, error, busy, disabled, onCancel }: { testId: string; error: string | null; busy: boolean; disabled?: boolean; onCancel: () => void }) {
  const { t } = useTranslation();
  return (
    <>
      {error && (
        <Alert color="red" data-testid={`${testId}-error`}>
          {error}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>
          {t('twoFactor.cancel')}
        </Button>
        <Button type="submit" loading={busy} disabled={disabled} data-testid={`${testId}-submit`}>
          {t('twoFactor.confirm')}
        </Button>
      </Group>
    </>
  );
}
