import { Box, Center, Group, Paper, Stack, Title } from '@mantine/core';
import type { FormEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { HelpLine } from './HelpLine.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';

interface Props {
  title: string;
  /** Card width in px and its distance from the top. */
  width: number;
  top: string;
  /** Given: the card is a form with this submit handler. */
  onSubmit?: (event: FormEvent) => void;
  children: ReactNode;
}

/** The signed-out pages' frame: language switch, a centred card with the product name, a title, and the help contacts below. */
export function AuthCard({ title, width, top, onSubmit, children }: Props) {
  const { t } = useTranslation();
  const body = (
    <Stack>
      <Title order={2} ta="center">
        {t('app.name')}
      </Title>
      <Title order={4} ta="center" fw={500} c="dimmed">
        {title}
      </Title>
      {children}
      <HelpLine />
    </Stack>
  );
  return (
    <Box mih="100vh" bg="gray.0">
      <Group justify="flex-end" p="md">
        <LanguageSwitch />
      </Group>
      <Center mt={top} px="md">
        <Paper withBorder shadow="sm" radius="md" p="xl" w={width}>
          {onSubmit ? <form onSubmit={onSubmit}>{body}</form> : body}
        </Paper>
      </Center>
    </Box>
  );
}
