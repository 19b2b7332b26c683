// The part of html-to-text's API Postern uses (the package ships no types).
declare module 'html-to-text' {
  export function htmlToText(html: string, options?: { limits?: { maxDepth?: number; maxInputLength?: number } }): string;
}
