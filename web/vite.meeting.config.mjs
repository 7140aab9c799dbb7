// The meeting page (a visitor manages a booked meeting through the secret link in its URL
// fragment): served by the Parley server under /meeting/.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('./meeting'),
  base: '/meeting/',
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: here('./dist/meeting'),
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    target: 'es2022',
  },
});
