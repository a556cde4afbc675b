import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

// Multi-threaded onnxruntime-web needs a cross-origin isolated page (SharedArrayBuffer).
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: here('.'),
  // Relative asset URLs: the built app works from any path (`cellscope view`, a static host).
  base: './',
  resolve: {
    alias: { 'cellscope/browser': here('../src/browser.ts') },
    // onnxruntime-web's build that loads its wasm glue as a separate file (see ort-model.ts).
    conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions],
  },
  worker: { format: 'es' },
  // cellscope's own model weights (models/*.pth) are served beside the app.
  publicDir: here('../models'),
  build: {
    outDir: here('../dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
  },
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
});
