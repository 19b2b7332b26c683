import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import mantinePreset from 'postcss-preset-mantine';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  plugins: [react()],
  css: { postcss: { plugins: [mantinePreset()] } },
  // Mantine, React and i18next make one ~170 kB gzipped bundle; splitting buys little for an app this size.
  build: { outDir: fileURLToPath(new URL('../dist/ui', import.meta.url)), emptyOutDir: true, chunkSizeWarningLimit: 800 },
  // `vite --config ui/vite.config.ts` for live UI work against a running `npm start`.
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
