import { createTheme, MantineProvider, Modal, PasswordInput, type CSSVariablesResolver } from '@mantine/core';
import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

// Shade 8 and a darker "dimmed" keep text at WCAG AA contrast (4.5:1) on white and on light fills.
const contrast: CSSVariablesResolver = () => ({ variables: {}, light: { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)' }, dark: {} });

/**
 * Mantine with Postern's look, and the names Mantine would otherwise give in English: every
 * dialog's × button and the password box's eye (which a keyboard can reach) speak the page's language.
 */
export function Theme({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const theme = useMemo(
    () =>
      createTheme({
        primaryColor: 'blue',
        primaryShade: 8,
        autoContrast: true,
        fontFamily: '-apple-system, BlinkMacSystemFont, "Segoe UI", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif',
        components: {
          Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': t('a11y.closeDialog') } } }),
          PasswordInput: PasswordInput.extend({ defaultProps: { visibilityToggleFocusable: true, visibilityToggleButtonProps: { 'aria-label': t('a11y.showPassword') } } }),
        },
      }),
    [t],
  );
  return (
    <MantineProvider theme={theme} cssVariablesResolver={contrast}>
      {children}
    </MantineProvider>
  );
}
