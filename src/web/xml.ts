/** An element: its name (a constant of ours), attributes and children; text is escaped on output. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string | number>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string | number;

/** Builds an element; `el('port', {}, 993)`, `el('incomingServer', { type: 'imap' }, ...children)`. */
export function el(name: string, attrs: Record<string, string | number> = {}, ...children: XmlNode[]): XmlElement {
  return { name, attrs, children };
}

// Characters XML 1.0 cannot carry at all are dropped rather than escaped.
const invalidChars = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(value: string | number): string {
  return String(value).replace(invalidChars, '').replace(/[&<>"']/g, (c) => entities[c]);
}

function render(node: XmlNode, indent: string): string {
  if (typeof node !== 'object') return indent + escapeXml(node);
  const attrs = Object.entries(node.attrs).map(([k, v]) => ` ${k}="${escapeXml(v)}"`).join('');
  if (node.children.length === 0) return `${indent}<${node.name}${attrs}/>`;
  if (node.children.every((c) => typeof c !== 'object')) return `${indent}<${node.name}${attrs}>${node.children.map((c) => escapeXml(c as string | number)).join('')}</${node.name}>`;
  const inner = node.children.map((c) => render(c, `${indent}  `)).join('\n');
  return `${indent}<${node.name}${attrs}>\n${inner}\n${indent}</${node.name}>`;
}

/** A whole document: the XML declaration, an optional fixed DOCTYPE line, then the root. */
export function xmlDocument(root: XmlElement, doctype?: string): string {
  return ['<?xml version="1.0" encoding="UTF-8"?>', ...(doctype ? [doctype] : []), render(root, ''), ''].join('\n');
}
