// One-off generator kept for adding packages consistently: node tools/new-package-json.mjs <name> "<description>"
// repository and engines come from the root package.json (tools/pack-proof/src/manifests.test.ts checks them).
import { readFileSync, writeFileSync } from 'node:fs';

const root = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const [name, description] = process.argv.slice(2);
const pkg = {
  name: `@smart-citizen/${name}`,
  version: '0.1.0',
  description,
  license: 'Apache-2.0',
  repository: { ...root.repository, directory: `packages/${name}` },
  engines: { node: root.engines.node },
  type: 'module',
  sideEffects: false,
  exports: {
    '.': {
      '@smart-citizen/source': './src/index.ts',
      import: { types: './dist/index.d.ts', default: './dist/index.js' },
      require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
    },
    './package.json': './package.json',
  },
  main: './dist/index.cjs',
  module: './dist/index.js',
  types: './dist/index.d.ts',
  files: ['dist', 'README.md'],
  scripts: { build: 'tsup' },
  dependencies: {},
};
writeFileSync(`packages/${name}/package.json`, `${JSON.stringify(pkg, null, 2)}\n`);
