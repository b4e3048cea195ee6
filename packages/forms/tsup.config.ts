import { packageBuild } from '../../tsup.base.js';

// loadDefaultFonts resolves the font package from import.meta.url (shimmed in the CJS build).
export default packageBuild({ entry: ['src/index.ts', 'src/pdf/index.ts'] });
