import { defineConfig, type Options } from 'tsup';

/**
 * The build every package shares: ESM + CJS + `.d.ts` for ES2022. `shims` gives the CJS build
 * an `import.meta.url`, which Node-only paths use to find files inside installed packages.
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
    shims: true,
    ...options,
  });
}
