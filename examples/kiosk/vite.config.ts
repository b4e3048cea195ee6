import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// The kiosk app: three pages (kiosk, display board, counter), workers as ES modules, workspace
// packages from source. onnxruntime-node and node:* are Node-only paths the browser never takes.
export default defineConfig({
  root: __dirname,
  base: '/',
  resolve: {
    conditions: ['@smart-citizen/source', 'browser', 'module', 'import', 'default'],
    // The plain WASM build (CPU, 11 MB) rather than the default bundle with WebGPU/JSEP (22 MB):
    // the kiosk runs on the CPU, and the server hosts exactly these files under /runtime/ort/.
    alias: [{ find: /^onnxruntime-web$/, replacement: 'onnxruntime-web/wasm' }],
  },
  worker: { format: 'es' },
  build: {
    outDir: resolve(__dirname, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
    rollupOptions: {
      input: {
        index: resolve(__dirname, 'index.html'),
        board: resolve(__dirname, 'board.html'),
        counter: resolve(__dirname, 'counter.html'),
      },
      external: ['onnxruntime-node', /^node:/],
    },
  },
});
