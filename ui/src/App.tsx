import { Center, Loader } from '@mantine/core';
import { useEffect } from 'react';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { navigate, usePath } from './router.ts';
import { routes } from './routes.tsx';
import { useSession } from './session.tsx';

export function App() {
  const path = usePath();
  const { session, account } = useSession();
  const route = routes.find((r) => r.path === path);
  const mustSignIn = session !== null && route?.access === 'account' && !account;
  const signedInAtLogin = account !== null && path === '/login';

  useEffect(() => {
    if (mustSignIn) navigate(path === '/' ? '/login' : `/login?next=${encodeURIComponent(path)}`, { replace: true });
    else if (signedInAtLogin) navigate('/', { replace: true });
  }, [mustSignIn, signedInAtLogin, path]);

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
