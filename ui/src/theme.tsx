import { createTheme, MantineProvider, type CSSVariablesResolver } from '@mantine/core';
import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

// Shade 8, a darker "dimmed" and darker text and fills of the colours in use keep text at WCAG AA
// contrast (4.5:1) on white, on filled badges and buttons, and on their light tints, hovered or not.
const contrast: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-blue-light-color': '#0b4f8a',
    '--mantine-color-red-filled': '#c62828',
    '--mantine-color-red-filled-hover': '#a61e1e',
    '--mantine-color-red-light-color': '#a61e1e',
    '--mantine-color-green-filled': '#237032',
    '--mantine-color-green-light-color': '#1b5e20',
    '--mantine-color-teal-filled': '#06735a',
    '--mantine-color-teal-light-color': '#05664a',
    '--mantine-color-orange-filled': '#b34700',
    '--mantine-color-orange-light-color': '#a63c06',
  },
  dark: {},
});

/**
 * Mantine with Postern's look, and names for what Mantine leaves unnamed or names in English: every
 * dialog's and notice's × and the password box's eye (which a keyboard can reach) speak the page's language.
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
          // Plain defaults, not Modal.extend(…): importing a component here would put it (and its CSS) in every area's first load.
          // The placeholder Mantine focuses first is a focusable div inside role="menu", which may hold only menu items (axe: aria-required-children).
          Menu: { defaultProps: { withInitialFocusPlaceholder: false } },
          Modal: { defaultProps: { closeButtonProps: { 'aria-label': t('a11y.closeDialog') } } },
          Notification: { defaultProps: { closeButtonProps: { 'aria-label': t('a11y.closeNotice') } } },
          PasswordInput: { defaultProps: { visibilityToggleFocusable: true, visibilityToggleButtonProps: { 'aria-label': t('a11y.showPassword') } } },
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
