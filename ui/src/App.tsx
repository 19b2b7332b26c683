import { Button, Center, Loader, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { navigate, usePath } from './router.ts';
import { enrolmentPath, routes, type Route, type View } from './routes.tsx';
import { useSession } from './session.tsx';

const loaded = new Map<Route, View>();
const load = (route: Route) => route.view().then((view) => void loaded.set(route, view));

/** The route's page and frames once its area's chunk is in; 'failed' when the chunk could not be fetched. */
function useView(route: Route | undefined): View | 'failed' | null {
  const [, setLoaded] = useState(0);
  const [failed, setFailed] = useState<Route | null>(null);
  useEffect(() => {
    if (!route || loaded.has(route)) return;
    load(route).then(
      () => setLoaded((n) => n + 1),
      () => setFailed(route),
    );
  }, [route]);
  if (!route) return null;
  return loaded.get(route) ?? (failed === route ? 'failed' : null);
}

export function App() {
  const { t, i18n } = useTranslation();
  const path = usePath();
  const { session, account, unreachable, refresh } = useSession();
  const route = routes.find((r) => r.path === path);
  const view = useView(route);
  const shown = view !== null && view !== 'failed';

  // While someone signs in, the signed-in pages arrive, so the page after the login shows at once.
  useEffect(() => {
    if (!shown || route?.access !== 'public') return;
    const timer = setTimeout(() => routes.filter((r) => r.access === 'account').forEach((r) => void load(r).catch(() => {})), 1000);
    return () => clearTimeout(timer);
  }, [shown, route]);
  const mustSignIn = session !== null && route?.access === 'account' && !account;
  const signedInAtLogin = account !== null && path === '/login';
  // Past the domain's grace without a method, binding one is the only way on (SPEC X5).
  const mustEnrol = account?.twoFactorRequired?.state === 'enforced' && route?.access === 'account' && path !== enrolmentPath;

  useEffect(() => {
    document.title = t('app.name');
  }, [t, i18n.language]);

  useEffect(() => {
    if (mustSignIn) navigate(path === '/' ? '/login' : `/login?next=${encodeURIComponent(path)}`, { replace: true });
    else if (signedInAtLogin) navigate('/', { replace: true });
    else if (mustEnrol) navigate(enrolmentPath, { replace: true });
  }, [mustSignIn, signedInAtLogin, mustEnrol, path]);

  if ((!session && unreachable) || view === 'failed') {
    return (
      <Center h="100vh">
        <Stack align="center">
          <Text>{t('errors.network')}</Text>
          <Button variant="light" onClick={() => (view === 'failed' ? location.reload() : void refresh().catch(() => {}))}>
            {t('errors.retry')}
          </Button>
        </Stack>
      </Center>
    );
  }
  if (!session || mustSignIn || signedInAtLogin || mustEnrol || (route && !view)) {
    return (
      <Center h="100vh">
        <Loader />
      </Center>
    );
  }
  if (!route || !view) return <NotFoundPage />;
  const Page = view.page;
  return view.frames.reduceRight((inner, Frame) => <Frame>{inner}</Frame>, <Page />);
}
