import { Box, Button, Group } from '@mantine/core';
import { EditorContent, useEditor, useEditorState } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { useTranslation } from 'react-i18next';

export interface EditorValue {
  html: string;
  text: string;
}

/** The rich-text body (TipTap): what it keeps is its own schema, so pasted markup cannot carry scripts. */
export function RichEditor({ initial, onChange, label, autoFocus }: { initial: string; onChange: (v: EditorValue) => void; label: string; autoFocus: boolean }) {
  const { t } = useTranslation();
  const editor = useEditor({
    extensions: [StarterKit.configure({ link: { openOnClick: false, autolink: true, HTMLAttributes: { rel: 'noopener noreferrer', target: '_blank' } }, heading: false, codeBlock: false })],
    content: initial,
    // A reply is written above the quote.
    autofocus: autoFocus ? 'start' : false,
    editorProps: { attributes: { ...(autoFocus ? { 'data-autofocus': 'true' } : {}), 'aria-label': label, 'data-testid': 'compose-body', class: 'postern-editor', role: 'textbox', 'aria-multiline': 'true' } },
    onUpdate: ({ editor: e }) => onChange({ html: e.getHTML(), text: e.getText({ blockSeparator: '\n' }) }),
    immediatelyRender: true,
  });
  const active = useEditorState({
    editor,
    selector: ({ editor: e }) => ({ bold: e.isActive('bold'), italic: e.isActive('italic'), underline: e.isActive('underline'), bullet: e.isActive('bulletList'), ordered: e.isActive('orderedList'), quote: e.isActive('blockquote') }),
  });
  const button = (key: keyof typeof active, run: () => void, text: string) => (
    <Button size="compact-xs" variant={active[key] ? 'light' : 'subtle'} color="gray" onClick={run} aria-pressed={active[key]}>
      {text}
    </Button>
  );
  return (
    <Box style={{ border: '1px solid var(--mantine-color-gray-4)', borderRadius: 4, display: 'flex', flexDirection: 'column', flex: 1, minHeight: 200 }}>
      <Group gap={2} p={4} style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        {button('bold', () => editor.chain().focus().toggleBold().run(), t('webmail.editor.bold'))}
        {button('italic', () => editor.chain().focus().toggleItalic().run(), t('webmail.editor.italic'))}
        {button('underline', () => editor.chain().focus().toggleUnderline().run(), t('webmail.editor.underline'))}
        {button('bullet', () => editor.chain().focus().toggleBulletList().run(), t('webmail.editor.bullets'))}
        {button('ordered', () => editor.chain().focus().toggleOrderedList().run(), t('webmail.editor.numbers'))}
        {button('quote', () => editor.chain().focus().toggleBlockquote().run(), t('webmail.editor.quote'))}
      </Group>
      <EditorContent editor={editor} style={{ flex: 1, overflowY: 'auto', padding: '8px 12px' }} />
    </Box>
  );
}
