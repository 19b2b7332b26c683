import { Button, Group, Stack, Text, Timeline } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ActivityView } from '../../../../../src/web/routes/activity.ts';
import { api } from '../../../api.ts';
import { formatTime } from '../../../format.ts';

interface ActivityPage {
  events: ActivityView[];
  next: string | null;
}

/** Events a user should look at twice: shown in red. */
const failures = new Set<string>(['login_failed', 'second_factor_failed', 'second_factor_locked']);

/** 安全动态 (X6): the account's recent sign-ins and security changes, a page at a time. */
export function ActivityPage() {
  const { t, i18n } = useTranslation();
  const [events, setEvents] = useState<ActivityView[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(async (before: string | null) => {
    setLoading(true);
    try {
      const page = await api.get<ActivityPage>(`/api/activity${before ? `?before=${encodeURIComponent(before)}` : ''}`);
      setEvents((shown) => (before && shown ? [...shown, ...page.events] : page.events));
      setNext(page.next);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load(null).catch(() => {});
  }, [load, i18n.language]);

  const sentence = (e: ActivityView) => {
    const method = e.method ? t(`security.twoFactor.methods.${e.method}.title`) : '';
    const reason = e.reason && i18n.exists(`security.activity.reasons.${e.reason}`) ? t(`security.activity.reasons.${e.reason}`) : '';
    return t(`security.activity.events.${e.type}`, { method, name: e.name ?? '', count: e.count ?? 0, address: e.address ?? '' }) + reason;
  };

  if (!events) return null;
  return (
    <Stack>
      <Text>{t('security.activity.intro')}</Text>
      {events.length === 0 ? (
        <Text c="dimmed">{t('security.activity.empty')}</Text>
      ) : (
        // Every item "active", so that each bullet is filled with its own colour.
        <Timeline active={events.length - 1} bulletSize={14} lineWidth={2} data-testid="activity">
          {events.map((e) => {
            const failed = failures.has(e.type);
            return (
              <Timeline.Item key={e.id} color={failed ? 'red' : 'blue'} data-testid="activity-event" data-type={e.type}>
                <Text fw={500} c={failed ? 'red' : undefined} data-testid="activity-sentence">
                  {sentence(e)}
                </Text>
                <Text size="sm" c="dimmed">
                  {[formatTime(e.at), [e.browser ?? t('security.devices.unknownBrowser'), e.os ?? t('security.devices.unknownOs')].join(' · '), e.place || t('security.activity.unknownPlace'), e.ip]
                    .filter(Boolean)
                    .join('　')}
                </Text>
                {e.actor && (
                  <Text size="sm" c="orange" data-testid="activity-actor">
                    {t('security.activity.byAdmin', { actor: e.actor })}
                  </Text>
                )}
              </Timeline.Item>
            );
          })}
        </Timeline>
      )}
      {next && (
        <Group>
          <Button variant="light" loading={loading} onClick={() => void load(next).catch(() => {})} data-testid="activity-more">
            {t('security.activity.loadMore')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
