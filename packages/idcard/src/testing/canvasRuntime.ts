// The generator draws with @napi-rs/canvas (Skia): text shaping with per-glyph fallback between
// the Latin and Vietnamese subsets of the fontsource fonts, JPEG encoding, blur filters. It is a
// dev/test dependency, imported lazily so `@smart-citizen/idcard` itself never loads it.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { RasterImage } from '@smart-citizen/image';

type CanvasModule = typeof import('@napi-rs/canvas');
let loaded: Promise<CanvasModule> | undefined;

/** Font families registered for the generator. */
export const FONTS = {
  /** Arimo (metric-compatible with Arial, which the CCCD cards use), Latin + Vietnamese subsets. */
  sans: 'IdSansLatin, IdSansViet',
  /** Tinos (metric-compatible with Times New Roman) for the old CMND. */
  serif: 'IdSerifLatin, IdSerifViet',
  /** Noto Sans Mono for the MRZ: monospaced, plain zero, open shapes — the closest OCR-B-like face on npm. */
  mono: 'IdMono',
} as const;

/** Load @napi-rs/canvas and register the fonts once. */
export function loadCanvas(): Promise<CanvasModule> {
  loaded ??= (async () => {
    const mod = (await import('@napi-rs/canvas')) as CanvasModule;
    const require = createRequire(import.meta.url);
    const files = (pkg: string) => join(dirname(require.resolve(`${pkg}/package.json`)), 'files');
    const reg = (pkg: string, file: string, family: string) =>
      mod.GlobalFonts.registerFromPath(join(files(pkg), file), family);
    for (const weight of ['400', '700']) {
      reg('@fontsource/arimo', `arimo-latin-${weight}-normal.woff2`, 'IdSansLatin');
      reg('@fontsource/arimo', `arimo-vietnamese-${weight}-normal.woff2`, 'IdSansViet');
      reg('@fontsource/tinos', `tinos-latin-${weight}-normal.woff2`, 'IdSerifLatin');
      reg('@fontsource/tinos', `tinos-vietnamese-${weight}-normal.woff2`, 'IdSerifViet');
    }
    reg('@fontsource/noto-sans-mono', 'noto-sans-mono-latin-500-normal.woff2', 'IdMono');
    return mod;
  })();
  return loaded;
}

/** RGBA pixels of a canvas as a {@link RasterImage}. */
export function canvasToRaster(
  ctx: {
    getImageData(
      x: number,
      y: number,
      w: number,
      h: number,
    ): { data: Uint8ClampedArray; width: number; height: number };
  },
  width: number,
  height: number,
): RasterImage {
  const d = ctx.getImageData(0, 0, width, height);
  return { width, height, channels: 4, data: new Uint8Array(d.data.buffer, d.data.byteOffset, d.data.byteLength) };
}

/** A {@link RasterImage} (grey, RGB or RGBA) as RGBA bytes for `ImageData`. */
export function rasterToRgba(img: RasterImage): Uint8ClampedArray {
  const out = new Uint8ClampedArray(img.width * img.height * 4);
  const ch = img.channels;
  for (let i = 0, o = 0; i < img.width * img.height; i++, o += 4) {
    const s = i * ch;
    const r = img.data[s] ?? 0;
    out[o] = r;
    out[o + 1] = ch >= 3 ? (img.data[s + 1] ?? 0) : r;
    out[o + 2] = ch >= 3 ? (img.data[s + 2] ?? 0) : r;
    out[o + 3] = ch === 4 ? (img.data[s + 3] ?? 255) : 255;
  }
  return out;
}
