import { packageBuild } from '../../tsup.base.js';

// `@smart-citizen/adapter-postgres/store` and `/queue` load only their half (and the shared pg support).
export default packageBuild({
  entry: { index: 'src/index.ts', store: 'src/store/index.ts', queue: 'src/queue/index.ts' },
});
