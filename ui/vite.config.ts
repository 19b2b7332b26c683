import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import mantinePreset from 'postcss-preset-mantine';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  plugins: [react()],
  css: { postcss: { plugins: [mantinePreset()] } },
  // One chunk per area (see routes.tsx); the manifest lets scripts/uiSize.ts sum what each area loads first.
  build: { outDir: fileURLToPath(new URL('../dist/ui', import.meta.url)), emptyOutDir: true, manifest: true },
  // `vite --config ui/vite.config.ts` for live UI work against a running `npm start`.
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
