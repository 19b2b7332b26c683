import '@mantine/core/styles.css';
import { createTheme, MantineProvider } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { Notifications } from './components/Notifications.tsx';
import { StepUpHost } from './components/StepUpDialog.tsx';
import './i18n.ts';
import { SessionProvider } from './session.tsx';

const theme = createTheme({
  primaryColor: 'blue',
  fontFamily: '-apple-system, BlinkMacSystemFont, "Segoe UI", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif',
});

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
);
