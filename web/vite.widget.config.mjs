// Visitor widget: one self-contained IIFE file, dist/widget.js (CSS lives inside it).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  logLevel: 'warn',
  publicDir: false,
  build: {
    outDir: here('./dist'),
    emptyOutDir: false,
    sourcemap: false,
    target: 'es2022',
    minify: true,
    lib: {
      entry: here('./widget/src/main.ts'),
      formats: ['iife'],
      name: 'ParleyWidget',
      fileName: () => 'widget.js',
    },
  },
});
