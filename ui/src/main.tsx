import './styles.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { Notifications } from './components/Notifications.tsx';
import { ready } from './i18n.ts';
import { routes } from './routes.tsx';
import { SessionProvider } from './session.tsx';
import { Theme } from './theme.tsx';

// The page's area and its language are fetched side by side; the first render waits for the language.
void routes.find((r) => r.path === location.pathname)?.view().catch(() => {});
void ready.then(() =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <Theme>
        <SessionProvider>
          <Notifications />
          <App />
        </SessionProvider>
      </Theme>
    </StrictMode>,
  ),
);
