import { fileURLToPath } from 'node:url';
import { defineConfig, type Options } from 'tsup';

const cjsShims = fileURLToPath(new URL('./tsup.cjs-shims.js', import.meta.url));

/**
 * The build every package shares: ESM + CJS + `.d.ts` for ES2022. The CJS build gets an
 * `import.meta.url` (Node-only paths use it to find files inside installed packages). tsup's
 * `shims` is off: it would also put `import path from "path"` into the ESM chunks, which a
 * browser bundler cannot resolve (the Vite build of tools/pack-proof failed on it).
 * @param options - what differs per package (entries, externals)
 */
export function packageBuild(options: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    shims: false,
    esbuildOptions(esbuild, { format }) {
      if (format !== 'cjs') return;
      esbuild.define = { ...esbuild.define, 'import.meta.url': 'importMetaUrl' };
      esbuild.inject = [...(esbuild.inject ?? []), cjsShims];
    },
    ...options,
  });
}
