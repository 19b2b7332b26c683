import { Button, Center, Loader, Stack, Text } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { navigate, usePath } from './router.ts';
import { routes } from './routes.tsx';
import { useSession } from './session.tsx';

export function App() {
  const { t, i18n } = useTranslation();
  const path = usePath();
  const { session, account, unreachable, refresh } = useSession();
  const route = routes.find((r) => r.path === path);
  const mustSignIn = session !== null && route?.access === 'account' && !account;
  const signedInAtLogin = account !== null && path === '/login';

  useEffect(() => {
    document.title = t('app.name');
  }, [t, i18n.language]);

  useEffect(() => {
    if (mustSignIn) navigate(path === '/' ? '/login' : `/login?next=${encodeURIComponent(path)}`, { replace: true });
    else if (signedInAtLogin) navigate('/', { replace: true });
  }, [mustSignIn, signedInAtLogin, path]);

  if (!session && unreachable) {
    return (
      <Center h="100vh">
        <Stack align="center">
          <Text>{t('errors.network')}</Text>
          <Button variant="light" onClick={() => void refresh().catch(() => {})}>
            {t('errors.retry')}
          </Button>
        </Stack>
      </Center>
    );
  }
  if (!session || mustSignIn || signedInAtLogin) {
    return (
      <Center h="100vh">
        <Loader />
      </Center>
    );
  }
  if (!route) return <NotFoundPage />;
  const Page = route.page;
  return (route.frames ?? []).reduceRight((inner, Frame) => <Frame>{inner}</Frame>, <Page />);
}
