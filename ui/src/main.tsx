import './styles.ts';
import { createTheme, MantineProvider } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { Notifications } from './components/Notifications.tsx';
import { StepUpHost } from './components/StepUpDialog.tsx';
import { ready } from './i18n.ts';
import { routes } from './routes.tsx';
import { SessionProvider } from './session.tsx';

const theme = createTheme({
  primaryColor: 'blue',
  fontFamily: '-apple-system, BlinkMacSystemFont, "Segoe UI", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif',
});

// The page's area and its language are fetched side by side; the first render waits for the language.
void routes.find((r) => r.path === location.pathname)?.view().catch(() => {});
void ready.then(() =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <MantineProvider theme={theme}>
        <SessionProvider>
          <Notifications />
          <StepUpHost />
          <App />
        </SessionProvider>
      </MantineProvider>
    </StrictMode>,
  ),
);
