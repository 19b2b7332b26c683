import { Button, CloseButton, Group, Modal, Progress, Select, Stack, Switch, Text, Textarea, TextInput, FileButton, Anchor } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useEffect, useRef, useState, type ClipboardEvent, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { notify } from '../../../notify.ts';
import { useSession } from '../../../session.tsx';
import { bytes } from '../format.ts';
import { jmap, jmapSession, upload } from '../jmap.ts';
import type { ComposeRequest } from '../MailPage.tsx';
import type { Mailbox } from '../mailboxes.ts';
import { schedule } from '../outbox.ts';
import { discardDraft, emptyDraft, isEmpty, loadDraft, saveDraft, sendDraft, type Draft, type Identity } from './draft.ts';
import { asAttachment, replyDraft, signed } from './quote.ts';
import { Recipients } from './Recipients.tsx';
import { RichEditor } from './RichEditor.tsx';

const autosaveMs = 5000;

interface Uploading {
  key: number;
  name: string;
  progress: number;
}

const loadIdentities = () => jmap([['Identity/get', {}]]).then(([r]) => r.list as Identity[]);

interface Props {
  request: ComposeRequest;
  boxes: Mailbox[];
  onClose: () => void;
  /** Undo send hands the message back. */
  onRestore: (draft: Draft) => void;
}

/** 写信: rich or plain text, recipients with suggestions, attachments, autosaved drafts, send with undo. */
export default function Compose({ request, boxes, onClose, onRestore }: Props) {
  const { t } = useTranslation();
  const { account } = useSession();
  const phone = useMediaQuery('(max-width: 48em)') ?? false;
  const [draft, setDraft] = useState<Draft | null>(null);
  const [ids, setIds] = useState<Identity[]>([]);
  const [uploads, setUploads] = useState<Uploading[]>([]);
  const [showCc, setShowCc] = useState(false);
  const [asFile, setAsFile] = useState(false);
  const [editorKey, setEditorKey] = useState(0);
  const dirty = useRef(false);
  const latest = useRef<Draft | null>(null);
  latest.current = draft;
  const saving = useRef<Promise<void> | null>(null);

  useEffect(() => {
    void (async () => {
      const list = await loadIdentities().catch(() => [] as Identity[]);
      setIds(list);
      const signature = list[0]?.textSignature ?? '';
      let d: Draft | null = emptyDraft;
      if (request.mode === 'draft') d = typeof request.restore === 'string' ? await loadDraft(request.restore) : (request.restore as Draft);
      else if (request.email && request.mode !== 'new') d = replyDraft(request.mode, request.email, list.map((i) => i.email.toLowerCase()), t, signature);
      else d = signed(signature);
      setDraft({ ...(d ?? emptyDraft), identityId: d?.identityId ?? list[0]?.id ?? null });
      setShowCc(!!(d?.cc.length || d?.bcc.length));
    })();
    // The request is fixed for the life of the dialog.
  }, []);

  // Forwarded as an attachment, the message goes as it is (its attachments inside it): the body is a new one.
  const forwardAsFile = (on: boolean) => {
    const email = request.email;
    const d = latest.current;
    if (!email || !d) return;
    const inline = replyDraft('forward', email, ids.map((i) => i.email.toLowerCase()), t, ids[0]?.textSignature ?? '');
    const body = on ? { ...signed(ids[0]?.textSignature ?? ''), attachments: [asAttachment(email)] } : inline;
    const forwarded = new Set([...inline.attachments, asAttachment(email)].map((a) => a.blobId));
    setAsFile(on);
    setEditorKey((k) => k + 1);
    change({ html: body.html, text: body.text, attachments: [...d.attachments.filter((a) => !forwarded.has(a.blobId)), ...body.attachments] });
  };

  const change = (patch: Partial<Draft>) => {
    dirty.current = true;
    setDraft((d) => (d ? { ...d, ...patch } : d));
  };

  const save = async () => {
    const d = latest.current;
    if (!d || !dirty.current || isEmpty(d)) return;
    dirty.current = false;
    saving.current = saveDraft(d, ids, boxes).then((draftId) => setDraft((cur) => (cur ? { ...cur, draftId } : cur)));
    await saving.current.catch(() => {
      dirty.current = true;
    });
  };
  const saveRef = useRef(save);
  saveRef.current = save;
  useEffect(() => {
    const timer = setInterval(() => void saveRef.current(), autosaveMs);
    return () => clearInterval(timer);
  }, []);

  const close = async () => {
    await saving.current?.catch(() => {});
    await save();
    onClose();
  };

  const addFiles = async (files: File[]) => {
    const session = await jmapSession();
    const current = latest.current?.attachments.reduce((n, a) => n + a.size, 0) ?? 0;
    let total = current;
    for (const file of files) {
      total += file.size;
      if (file.size > session.maxSizeUpload || total > session.maxSizeAttachmentsPerEmail) {
        notify('error', t('webmail.compose.tooLarge', { name: file.name, limit: bytes(session.maxSizeAttachmentsPerEmail) }));
        total -= file.size;
        continue;
      }
      const key = Math.random();
      setUploads((u) => [...u, { key, name: file.name, progress: 0 }]);
      upload(file, (progress) => setUploads((u) => u.map((x) => (x.key === key ? { ...x, progress } : x))))
        .then((blob) => {
          dirty.current = true;
          setDraft((d) => (d ? { ...d, attachments: [...d.attachments, { blobId: blob.blobId, name: file.name, type: blob.type, size: blob.size }] } : d));
        })
        .catch(() => notify('error', t('webmail.compose.uploadFailed', { name: file.name })))
        .finally(() => setUploads((u) => u.filter((x) => x.key !== key)));
    }
  };
  const onDrop = (e: DragEvent) => {
    if (!e.dataTransfer.files.length) return;
    e.preventDefault();
    void addFiles([...e.dataTransfer.files]);
  };
  const onPaste = (e: ClipboardEvent) => {
    const files = [...e.clipboardData.files];
    if (!files.length) return;
    e.preventDefault();
    void addFiles(files);
  };

  const send = () => {
    const d = latest.current;
    if (!d) return;
    if (!d.to.length && !d.cc.length && !d.bcc.length) return notify('error', t('webmail.compose.noRecipients'));
    if (uploads.length) return notify('error', t('webmail.compose.stillUploading'));
    onClose();
    schedule(
      () => sendDraft(d, ids, boxes),
      () => onRestore(d),
    );
  };
  const discard = async () => {
    const d = latest.current;
    dirty.current = false;
    if (d) await discardDraft(d).catch(() => {});
    onClose();
  };

  const title = t(`webmail.compose.title.${request.mode === 'draft' ? 'new' : request.mode}`);
  return (
    <Modal opened onClose={() => void close()} title={title} size="xl" fullScreen={phone} data-testid="compose-dialog" closeOnClickOutside={false} closeButtonProps={{ 'aria-label': t('webmail.compose.close'), 'data-testid': 'compose-close' } as object}>
      {!draft ? null : (
        <Stack gap="xs" onDrop={onDrop} onDragOver={(e) => e.dataTransfer.types.includes('Files') && e.preventDefault()} onPaste={onPaste}>
          {ids.length > 0 && (
            <Select label={t('webmail.compose.from')} data={ids.map((i) => ({ value: i.id, label: i.name ? `${i.name} <${i.email}>` : i.email }))} value={draft.identityId} onChange={(v) => v && change({ identityId: v })} allowDeselect={false} data-testid="compose-from" />
          )}
          <Recipients label={t('webmail.compose.to')} value={draft.to} onChange={(to) => change({ to })} testId="compose-to" autoFocus={!draft.to.length} />
          {showCc ? (
            <>
              <Recipients label={t('webmail.compose.cc')} value={draft.cc} onChange={(cc) => change({ cc })} testId="compose-cc" />
              <Recipients label={t('webmail.compose.bcc')} value={draft.bcc} onChange={(bcc) => change({ bcc })} testId="compose-bcc" />
            </>
          ) : (
            <Anchor component="button" size="sm" onClick={() => setShowCc(true)} style={{ alignSelf: 'flex-start' }} data-testid="compose-show-cc">
              {t('webmail.compose.addCc')}
            </Anchor>
          )}
          <TextInput label={t('webmail.compose.subject')} value={draft.subject} onChange={(e) => change({ subject: e.currentTarget.value })} data-testid="compose-subject" />
          <Group justify="space-between">
            <Switch label={t('webmail.compose.rich')} checked={draft.rich} onChange={(e) => change({ rich: e.currentTarget.checked })} data-testid="compose-rich" />
            {request.mode === 'forward' && <Switch label={t('webmail.compose.forwardAsAttachment')} checked={asFile} onChange={(e) => forwardAsFile(e.currentTarget.checked)} />}
          </Group>
          {draft.rich ? (
            <RichEditor key={editorKey} initial={draft.html} autoFocus={draft.to.length > 0} label={t('webmail.compose.body')} onChange={(v) => change({ html: v.html, text: v.text })} />
          ) : (
            <Textarea label={t('webmail.compose.body')} value={draft.text} onChange={(e) => change({ text: e.currentTarget.value, html: '' })} autosize minRows={10} maxRows={20} data-autofocus={draft.to.length > 0 || undefined} data-testid="compose-text" />
          )}
          {(draft.attachments.length > 0 || uploads.length > 0) && (
            <Stack gap={4} data-testid="compose-attachments">
              {draft.attachments.map((a) => (
                <Group key={a.blobId + a.name} gap="xs">
                  <Text size="sm" data-testid="compose-attachment">{a.name}</Text>
                  <Text size="xs" c="dimmed">{a.size ? bytes(a.size) : ''}</Text>
                  <CloseButton size="sm" aria-label={t('webmail.compose.removeAttachment', { name: a.name })} onClick={() => change({ attachments: draft.attachments.filter((x) => x !== a) })} />
                </Group>
              ))}
              {uploads.map((u) => (
                <Group key={u.key} gap="xs">
                  <Text size="sm">{u.name}</Text>
                  <Progress value={u.progress * 100} w={160} aria-label={t('webmail.compose.uploading', { name: u.name })} />
                </Group>
              ))}
            </Stack>
          )}
          <Group justify="space-between">
            <Group gap="xs">
              <Button onClick={send} data-testid="compose-send">{t('webmail.compose.send')}</Button>
              <FileButton multiple onChange={(files) => void addFiles(files)}>
                {(props) => (
                  <Button variant="default" {...props} data-testid="compose-attach">
                    {t('webmail.compose.attach')}
                  </Button>
                )}
              </FileButton>
              <Button variant="subtle" onClick={() => void save().then(() => notify('success', t('webmail.compose.saved')))} data-testid="compose-save">
                {t('webmail.compose.save')}
              </Button>
            </Group>
            <Button variant="subtle" color="red" onClick={() => void discard()} data-testid="compose-discard">
              {t('webmail.compose.discard')}
            </Button>
          </Group>
          <Text size="xs" c="dimmed">{t('webmail.compose.dropHint', { address: account?.address ?? '' })}</Text>
        </Stack>
      )}
    </Modal>
  );
}
