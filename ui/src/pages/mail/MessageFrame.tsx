import { Alert, Box, Button, Group } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Part } from './email.ts';
import { blobAsDataUrl } from './jmap.ts';
import { mailDocument } from './sanitize.ts';

const trustedKey = 'postern.imagesFrom';
const trustedSenders = (): string[] => JSON.parse(localStorage.getItem(trustedKey) ?? '[]');

/** The inline parts (cid:) the HTML refers to, as data: URLs. */
function useInlineImages(html: string, parts: Part[]): Map<string, string> | null {
  const [inline, setInline] = useState<Map<string, string> | null>(null);
  useEffect(() => {
    const wanted = parts.filter((p) => p.cid && p.blobId && p.type.startsWith('image/') && html.toLowerCase().includes(`cid:${p.cid.toLowerCase()}`));
    let live = true;
    Promise.all(wanted.map(async (p) => [p.cid!.toLowerCase(), await blobAsDataUrl(p.blobId!, p.type).catch(() => '')] as const)).then((pairs) => live && setInline(new Map(pairs.filter(([, v]) => v))));
    return () => {
      live = false;
    };
  }, [html, parts]);
  return inline;
}

/**
 * A mail body in a frame that runs nothing: sandboxed without allow-scripts and allow-same-origin
 * (links may open new tabs, outside the sandbox), the document sanitised with its own CSP.
 */
export function MessageFrame({ html, parts, sender, title }: { html: string; parts: Part[]; sender?: string; title: string }) {
  const { t } = useTranslation();
  const [allowed, setAllowed] = useState(false);
  const inline = useInlineImages(html, parts);
  const allowRemote = allowed || (!!sender && trustedSenders().includes(sender.toLowerCase()));
  const doc = useMemo(() => (inline ? mailDocument(html, { allowRemote, inline }) : null), [html, inline, allowRemote]);
  useEffect(() => setAllowed(false), [html]);
  if (!doc) return <Box style={{ flex: 1 }} />;
  const always = () => {
    if (sender) localStorage.setItem(trustedKey, JSON.stringify([...new Set([...trustedSenders(), sender.toLowerCase()])]));
    setAllowed(true);
  };
  return (
    <>
      {doc.remoteBlocked && !allowRemote && (
        <Alert color="gray" py={6} data-testid="remote-blocked">
          <Group gap="xs" justify="space-between">
            <span>{t('webmail.read.imagesBlocked')}</span>
            <Group gap="xs">
              <Button size="compact-sm" variant="light" onClick={() => setAllowed(true)} data-testid="show-images">
                {t('webmail.read.showImages')}
              </Button>
              {sender && (
                <Button size="compact-sm" variant="subtle" onClick={always}>
                  {t('webmail.read.alwaysShowImages')}
                </Button>
              )}
            </Group>
          </Group>
        </Alert>
      )}
      <iframe
        title={title}
        data-testid="mail-frame"
        sandbox="allow-popups allow-popups-to-escape-sandbox"
        referrerPolicy="no-referrer"
        srcDoc={doc.html}
        style={{ border: 0, width: '100%', flex: 1, minHeight: 240, background: 'white' }}
      />
    </>
  );
}
