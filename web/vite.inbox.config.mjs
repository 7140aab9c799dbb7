// Agent Inbox SPA: served by the Parley server under /inbox/.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';
import { chimePlugin } from './scripts/chime.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
// `npm run dev` proxies the API to a running server (default 127.0.0.1:8080).
const target = process.env.PARLEY_URL || 'http://127.0.0.1:8080';

export default defineConfig({
  root: here('./inbox'),
  base: '/inbox/',
  plugins: [preact({ devToolsEnabled: false, prefreshEnabled: false }), chimePlugin()],
  logLevel: 'warn',
  build: {
    outDir: here('./dist/inbox'),
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    target: 'es2022',
  },
  server: {
    proxy: {
      '/api': { target, changeOrigin: false },
      '/ws': { target: target.replace(/^http/, 'ws'), ws: true },
    },
  },
});
