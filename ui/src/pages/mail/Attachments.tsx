import { Anchor, Button, Group, Image, Modal, Paper, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Part } from './email.ts';
import { bytes } from './format.ts';
import { Icon } from './icons.tsx';
import { downloadUrl } from './jmap.ts';
import { MessageFrame } from './MessageFrame.tsx';

type Preview = { part: Part; url: string; html?: string };

function AttachmentItem({ part, onPreview }: { part: Part; onPreview: (p: Preview) => void }) {
  const { t } = useTranslation();
  const [url, setUrl] = useState<string | null>(null);
  const name = part.name || t('webmail.read.unnamed');
  useEffect(() => {
    if (part.blobId) void downloadUrl(part.blobId, name, part.type).then(setUrl);
  }, [part.blobId, name, part.type]);
  const image = part.type.startsWith('image/');
  const html = part.type === 'text/html';
  const preview = async () => {
    if (!url) return;
    const text = html ? await (await fetch(url, { credentials: 'same-origin' })).text() : undefined;
    onPreview({ part, url, html: text });
  };
  return (
    <Paper withBorder px="sm" py={6} radius="sm" data-testid="attachment">
      <Group gap="sm" wrap="nowrap">
        <Icon name="clip" size={16} />
        <Stack gap={0} style={{ minWidth: 0 }}>
          <Text size="sm" truncate="end" maw={260} data-testid="attachment-name">
            {name}
          </Text>
          <Text size="xs" c="dimmed">
            {bytes(part.size)}
          </Text>
        </Stack>
        {(image || html) && (
          <Button size="compact-xs" variant="subtle" onClick={() => void preview()} data-testid="attachment-preview">
            {t('webmail.read.preview')}
          </Button>
        )}
        {url && (
          <Anchor size="sm" href={url} download={name} data-testid="attachment-download">
            {t('webmail.read.download')}
          </Anchor>
        )}
      </Group>
    </Paper>
  );
}

/** The message's attachments with size, download and a preview of images and HTML (sanitised like a mail). */
export function Attachments({ parts }: { parts: Part[] }) {
  const { t } = useTranslation();
  const [preview, setPreview] = useState<Preview | null>(null);
  if (parts.length === 0) return null;
  return (
    <>
      <Group gap="xs" p="sm" data-testid="attachments" aria-label={t('webmail.read.attachments')} role="list">
        {parts.map((p, i) => (
          <div role="listitem" key={p.partId ?? i}>
            <AttachmentItem part={p} onPreview={setPreview} />
          </div>
        ))}
      </Group>
      <Modal opened={!!preview} onClose={() => setPreview(null)} title={preview?.part.name ?? ''} size="xl">
        {preview?.html !== undefined ? (
          <Stack h="70vh">
            <MessageFrame html={preview.html} parts={[]} title={preview.part.name ?? ''} />
          </Stack>
        ) : (
          preview && <Image src={preview.url} alt={preview.part.name ?? ''} fit="contain" mah="75vh" />
        )}
      </Modal>
    </>
  );
}
