import { FormsError } from '../errors.js';

/** Regular and bold font files (TTF/OTF bytes). */
export interface FontBytes {
  regular: Uint8Array;
  bold?: Uint8Array;
}

const REGULAR = '@expo-google-fonts/be-vietnam-pro/400Regular/BeVietnamPro_400Regular.ttf';
const BOLD = '@expo-google-fonts/be-vietnam-pro/700Bold/BeVietnamPro_700Bold.ttf';

let cached: Promise<FontBytes> | undefined;

/**
 * Load Be Vietnam Pro (SIL Open Font License 1.1; every Vietnamese letter and tone mark) from
 * the installed `@expo-google-fonts/be-vietnam-pro` package. Node only: in a browser, pass
 * the font bytes to {@link renderFormPdf} yourself.
 *
 * @returns The regular and bold TTF bytes.
 * @throws SmartCitizenError `forms/pdf-font-unavailable` outside Node or when the package is missing.
 */
export function loadDefaultFonts(): Promise<FontBytes> {
  cached ??= (async () => {
    const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';
    if (!isNode) {
      throw new FormsError('forms/pdf-font-unavailable', 'in a browser, pass fontBytes to renderFormPdf', {});
    }
    try {
      const { createRequire } = await import('node:module');
      const { readFile } = await import('node:fs/promises');
      const require = createRequire(import.meta.url);
      const [regular, bold] = await Promise.all([readFile(require.resolve(REGULAR)), readFile(require.resolve(BOLD))]);
      return { regular: new Uint8Array(regular), bold: new Uint8Array(bold) };
    } catch (cause) {
      throw new FormsError('forms/pdf-font-unavailable', 'the Be Vietnam Pro font package could not be read', {
        cause,
      });
    }
  })().catch((err: unknown) => {
    cached = undefined;
    throw err;
  });
  return cached;
}
