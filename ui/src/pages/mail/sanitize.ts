// A received mail as the document of a sandboxed frame: DOMPurify takes out what runs (scripts,
// handlers, javascript: URLs, forms, frames, <meta>, <base>), remote images and CSS url()s are left
// out until the user allows them, cid: images come from the message itself, and the frame's own
// Content-Security-Policy refuses every remote load that slipped through. The frame has neither
// allow-scripts nor allow-same-origin (MessageFrame.tsx), so even a sanitizer bug runs nothing
// and reads nothing of the app.
import DOMPurify from 'dompurify';

export interface MailDocument {
  html: string;
  /** The mail refers to remote images or styles that were left out. */
  remoteBlocked: boolean;
}

const forbidTags = ['form', 'input', 'button', 'textarea', 'select', 'option', 'meta', 'base', 'link', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'audio', 'video', 'source', 'track', 'portal', 'noscript', 'template', 'title'];
const forbidAttr = ['srcset', 'action', 'formaction', 'ping', 'poster', 'lowsrc', 'dynsrc'];
const remoteUrl = /^\s*(?:https?:)?\/\//i;
const cssUrl = /url\(\s*(['"]?)(.*?)\1\s*\)/gi;
const cssImport = /@import[^;]*;?/gi;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Plain text as HTML: escaped, line breaks kept, web addresses made into links. */
export function plainTextHtml(text: string): string {
  const linked = escapeHtml(text).replace(/\b(?:https?:\/\/|www\.)[^\s<>"']+[^\s<>"'.,;:!?)\]]/gi, (url) => {
    const href = url.startsWith('www.') ? `https://${url}` : url;
    return `<a href="${href}">${url}</a>`;
  });
  return `<div class="plain">${linked}</div>`;
}

function cleanCss(css: string, allowRemote: boolean, found: () => void): string {
  const withoutImports = css.replace(cssImport, () => {
    found();
    return '';
  });
  return withoutImports.replace(cssUrl, (whole, _q, url: string) => {
    if (/^data:image\//i.test(url.trim())) return whole;
    if (allowRemote && remoteUrl.test(url)) return whole;
    found();
    return 'none';
  });
}

function policy(allowRemote: boolean): string {
  const remote = allowRemote ? ' https: http:' : '';
  return `default-src 'none'; img-src data:${remote}; style-src 'unsafe-inline'${remote}; font-src data:; form-action 'none'; base-uri 'none'`;
}

const frameStyle = `
  html { color-scheme: light; }
  body { margin: 16px; font: 14px/1.6 -apple-system, BlinkMacSystemFont, "Segoe UI", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; color: #1a1b1e; overflow-wrap: anywhere; }
  img { max-width: 100%; height: auto; }
  .plain { white-space: pre-wrap; }
  blockquote { margin: 0 0 0 4px; padding-left: 12px; border-left: 3px solid #ced4da; color: #495057; }
  a { color: #0b4f8a; }
`;

/**
 * The frame document for a mail body. `inline` maps Content-IDs to data: URLs of the message's own
 * parts; `allowRemote` is the user's 显示图片.
 */
export function mailDocument(body: string, options: { allowRemote: boolean; inline: Map<string, string> }): MailDocument {
  let remoteBlocked = false;
  const found = () => {
    remoteBlocked = true;
  };
  const purify = DOMPurify(window);
  purify.addHook('uponSanitizeElement', (node, data) => {
    if (data.tagName === 'style' && node.textContent) node.textContent = cleanCss(node.textContent, options.allowRemote, found);
  });
  purify.addHook('afterSanitizeAttributes', (node) => {
    if (!(node instanceof Element)) return;
    if (node.hasAttribute('href')) {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer');
    }
    for (const attr of ['src', 'background']) {
      const value = node.getAttribute(attr);
      if (value === null) continue;
      if (/^cid:/i.test(value)) {
        const data = options.inline.get(value.slice(4).replace(/^<|>$/g, '').toLowerCase());
        if (data) node.setAttribute(attr, data);
        else node.removeAttribute(attr);
      } else if (remoteUrl.test(value) && !options.allowRemote) {
        found();
        node.removeAttribute(attr);
      } else if (!/^data:image\//i.test(value) && !remoteUrl.test(value)) node.removeAttribute(attr);
    }
    const style = node.getAttribute('style');
    if (style) node.setAttribute('style', cleanCss(style, options.allowRemote, found));
  });
  const clean = purify.sanitize(body, { FORBID_TAGS: forbidTags, FORBID_ATTR: forbidAttr, ALLOW_DATA_ATTR: false, FORCE_BODY: true, ADD_TAGS: ['style'] });
  const html = `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${policy(options.allowRemote)}"><meta name="referrer" content="no-referrer"><style>${frameStyle}</style></head><body>${clean}</body></html>`;
  return { html, remoteBlocked };
}
