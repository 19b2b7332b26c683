import { Button, Card, Group, SegmentedControl, Select, Stack, Switch, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { setMailPrefs, useMailPrefs, type MailPrefs } from '../../mailPrefs.ts';
import { notify } from '../../notify.ts';
import { jmap } from '../mail/jmap.ts';

const vacationCapability = 'urn:ietf:params:jmap:vacationresponse';

interface Identity {
  id: string;
  name: string;
  textSignature: string;
}

interface Vacation {
  isEnabled: boolean;
  subject: string | null;
  textBody: string | null;
  fromDate: string | null;
  toDate: string | null;
}

const day = (utc: string | null) => (utc ? utc.slice(0, 10) : '');
const utc = (date: string, end: boolean) => (date ? new Date(`${date}T${end ? '23:59:59' : '00:00:00'}`).toISOString().replace(/\.\d{3}Z$/, 'Z') : null);

/** 邮箱设置 of the webmail: sender name and signature (JMAP Identity), list and reply preferences, vacation reply. */
export function WebmailSettings() {
  const { t } = useTranslation();
  const prefs = useMailPrefs();
  const [identity, setIdentity] = useState<Identity | null>(null);
  const [vacation, setVacation] = useState<Vacation | null>(null);
  const [local, setLocal] = useState<MailPrefs>(prefs);

  useEffect(() => {
    void jmap([['Identity/get', { properties: ['id', 'name', 'textSignature'] }], ['VacationResponse/get', { ids: ['singleton'] }]], [vacationCapability]).then(([i, v]) => {
      setIdentity(i.list[0] ?? null);
      setVacation(v.list[0] ?? null);
    });
  }, []);

  const save = async () => {
    const calls: [string, Record<string, unknown>][] = [];
    if (identity) calls.push(['Identity/set', { update: { [identity.id]: { name: identity.name, textSignature: identity.textSignature } } }]);
    if (vacation) calls.push(['VacationResponse/set', { update: { singleton: { isEnabled: vacation.isEnabled, subject: vacation.subject || null, textBody: vacation.textBody || null, fromDate: vacation.fromDate, toDate: vacation.toDate } } }]);
    const results = await jmap(calls, [vacationCapability]);
    const refused = results.map((r) => Object.values(r.notUpdated ?? {})[0] as { description?: string; type: string } | undefined).find(Boolean);
    if (refused) return notify('error', refused.description ?? refused.type);
    setMailPrefs(local);
    notify('success', t('webmail.settings.saved'));
  };

  return (
    <Card withBorder radius="md" data-testid="webmail-settings">
      <form onSubmit={(e) => { e.preventDefault(); void save().catch(() => {}); }}>
        <Stack maw={560}>
          <Title order={3} fz="lg">{t('webmail.settings.title')}</Title>
          {identity && (
            <>
              <TextInput label={t('webmail.settings.displayName')} description={t('webmail.settings.displayNameHint')} value={identity.name} onChange={(e) => setIdentity({ ...identity, name: e.currentTarget.value })} data-testid="settings-name" />
              <Textarea label={t('webmail.settings.signature')} value={identity.textSignature} onChange={(e) => setIdentity({ ...identity, textSignature: e.currentTarget.value })} autosize minRows={3} data-testid="settings-signature" />
            </>
          )}
          <Select label={t('webmail.settings.pageSize')} data={['25', '50', '100']} value={String(local.pageSize)} onChange={(v) => v && setLocal({ ...local, pageSize: Number(v) })} allowDeselect={false} />
          <Switch label={t('webmail.settings.conversationView')} checked={local.conversationView} onChange={(e) => setLocal({ ...local, conversationView: e.currentTarget.checked })} data-testid="settings-conversations" />
          <Stack gap={4}>
            <Text size="sm" fw={500} id="default-reply">{t('webmail.settings.defaultReply')}</Text>
            <SegmentedControl aria-labelledby="default-reply" value={local.defaultReply} onChange={(v) => setLocal({ ...local, defaultReply: v as MailPrefs['defaultReply'] })} data={[{ value: 'reply', label: t('webmail.settings.replyOne') }, { value: 'replyAll', label: t('webmail.settings.replyAll') }]} style={{ alignSelf: 'flex-start' }} />
          </Stack>
          {vacation && (
            <>
              <Switch label={t('webmail.settings.vacationOn')} checked={vacation.isEnabled} onChange={(e) => setVacation({ ...vacation, isEnabled: e.currentTarget.checked })} data-testid="settings-vacation" />
              {vacation.isEnabled && (
                <>
                  <TextInput label={t('webmail.settings.vacationSubject')} value={vacation.subject ?? ''} onChange={(e) => setVacation({ ...vacation, subject: e.currentTarget.value })} />
                  <Textarea label={t('webmail.settings.vacationBody')} value={vacation.textBody ?? ''} onChange={(e) => setVacation({ ...vacation, textBody: e.currentTarget.value })} autosize minRows={3} data-testid="settings-vacation-body" />
                  <Group grow>
                    <TextInput type="date" label={t('webmail.settings.vacationFrom')} value={day(vacation.fromDate)} onChange={(e) => setVacation({ ...vacation, fromDate: utc(e.currentTarget.value, false) })} />
                    <TextInput type="date" label={t('webmail.settings.vacationTo')} value={day(vacation.toDate)} onChange={(e) => setVacation({ ...vacation, toDate: utc(e.currentTarget.value, true) })} />
                  </Group>
                </>
              )}
            </>
          )}
          <Group>
            <Button type="submit" data-testid="settings-save">{t('webmail.settings.save')}</Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
