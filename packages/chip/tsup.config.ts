import { packageBuild } from '../../tsup.base.js';

export default packageBuild({ entry: ['src/index.ts', 'src/testing.ts', 'src/node.ts'], external: ['pcsc-mini'] });
