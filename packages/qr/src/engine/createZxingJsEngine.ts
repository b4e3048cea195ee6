import { qrError } from '../errors.js';
import type { RasterImage } from '@smart-citizen/image';
import { greyOf } from '../read/greyOps.js';
import type { QrEngine, QrEngineOptions, QrFormat, QrPoint, QrSymbol } from './QrEngine.js';

type ZxingLibrary = typeof import('@zxing/library');

/** The reader's luma (zxing's integer weights), as the clamped array zxing's luminance source takes. */
function toGrey(image: RasterImage): Uint8ClampedArray {
  const grey = greyOf(image).data;
  return new Uint8ClampedArray(grey.buffer, grey.byteOffset, image.width * image.height);
}

/**
 * Create the pure-JavaScript engine (@zxing/library, a port of ZXing Java) for hosts that
 * forbid WebAssembly. It finds fewer codes than zxing-wasm and is slower; it does not try
 * rotations or inverted codes by itself (the reader's ladder does).
 *
 * @returns A ready engine.
 * @throws SmartCitizenError `qr/engine-unavailable` when the library cannot be loaded.
 */
export async function createZxingJsEngine(): Promise<QrEngine> {
  let lib: ZxingLibrary;
  try {
    lib = await import('@zxing/library');
  } catch (err) {
    throw qrError('qr/engine-unavailable', 'could not load @zxing/library', { cause: err });
  }
  const { BinaryBitmap, DecodeHintType, HybridBinarizer, GlobalHistogramBinarizer, RGBLuminanceSource, BarcodeFormat } =
    lib;
  const qr = new lib.QRCodeReader();
  const pdf = new lib.PDF417Reader();
  let closed = false;

  const decode = (image: RasterImage, opts: QrEngineOptions = {}): QrSymbol[] => {
    if (closed) throw qrError('qr/engine-closed', 'the engine was closed');
    if (image.width === 0 || image.height === 0) return [];
    const source = new RGBLuminanceSource(toGrey(image), image.width, image.height);
    const binarizer = opts.binarizer === 'global' ? new GlobalHistogramBinarizer(source) : new HybridBinarizer(source);
    const bitmap = new BinaryBitmap(binarizer);
    const hints = new Map<number, unknown>();
    if (opts.tryHarder ?? true) hints.set(DecodeHintType.TRY_HARDER, true);
    if (opts.pure) hints.set(DecodeHintType.PURE_BARCODE, true);
    const formats = opts.formats ?? ['QRCode'];
    const readers: [
      QrFormat,
      InstanceType<ZxingLibrary['QRCodeReader']> | InstanceType<ZxingLibrary['PDF417Reader']>,
    ][] = [];
    if (formats.includes('QRCode')) readers.push(['QRCode', qr]);
    if (formats.includes('PDF417')) readers.push(['PDF417', pdf]);
    for (const [format, reader] of readers) {
      try {
        hints.set(DecodeHintType.POSSIBLE_FORMATS, [
          format === 'QRCode' ? BarcodeFormat.QR_CODE : BarcodeFormat.PDF_417,
        ]);
        const r = reader.decode(bitmap, hints);
        // PDF417 results can hold null points (a row indicator it did not find).
        const pts = r
          .getResultPoints()
          .filter((p) => p !== null && p !== undefined)
          .map((p) => ({ x: p.getX(), y: p.getY() }));
        const symbol: QrSymbol = { text: r.getText(), bytes: new Uint8Array(r.getRawBytes() ?? []), format };
        // QR result points: bottom-left, top-left, top-right finder centres (+ alignment).
        if (format === 'QRCode' && pts.length >= 3) {
          const [bl, tl, tr] = pts as [QrPoint, QrPoint, QrPoint];
          symbol.corners = [tl, tr, { x: tr.x + bl.x - tl.x, y: tr.y + bl.y - tl.y }, bl];
        }
        return [symbol];
      } catch (err) {
        // NotFound / Checksum / Format exceptions mean "no code here"; anything else is a bug.
        if (!(err instanceof lib.Exception)) throw err;
      } finally {
        reader.reset();
      }
    }
    return [];
  };

  return {
    name: 'zxing-js',
    decode,
    close() {
      closed = true;
    },
  };
}
