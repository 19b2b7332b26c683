import { Button, Center, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { HelpLine } from '../components/HelpLine.tsx';
import { linkTo } from '../router.ts';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Center mih="80vh" px="md">
      <Stack align="center">
        <Title order={2}>{t('notFound.title')}</Title>
        <Text>{t('notFound.text')}</Text>
        <Button component="a" variant="light" {...linkTo('/')}>
          {t('notFound.home')}
        </Button>
        <HelpLine />
      </Stack>
    </Center>
  );
}
