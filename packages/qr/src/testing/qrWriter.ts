import { qrError } from '../errors.js';

/** A barcode as a module matrix: `modules[y * width + x]` is 1 for dark. */
export interface ModuleMatrix {
  width: number;
  height: number;
  modules: Uint8Array;
}

/** Encodes text as a QR code or PDF417 module matrix. */
export interface BarcodeWriter {
  write(text: string, format?: 'QRCode' | 'PDF417', ecLevel?: 'L' | 'M' | 'Q' | 'H'): Promise<ModuleMatrix>;
}

/**
 * Create a barcode writer on zxing-wasm's writer build (zxing-cpp + zint). Node only: the
 * `.wasm` is read from the installed package. Used by the test-set generator.
 *
 * @returns A {@link BarcodeWriter}.
 */
export async function createBarcodeWriter(): Promise<BarcodeWriter> {
  const [{ readFile }, { createRequire }, zw] = await Promise.all([
    import('node:fs/promises'),
    import('node:module'),
    import('zxing-wasm/writer'),
  ]);
  const path = createRequire(import.meta.url).resolve('zxing-wasm/writer/zxing_writer.wasm');
  const bytes = await readFile(path);
  const wasmBinary = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  await zw.prepareZXingModule({ overrides: { wasmBinary }, fireImmediately: true });
  return {
    async write(text, format = 'QRCode', ecLevel = 'M') {
      const r = await zw.writeBarcode(text, {
        format,
        scale: 1,
        addQuietZones: false,
        ...(format === 'QRCode' ? { options: `ecLevel=${ecLevel}` } : {}),
      });
      if (r.error) throw qrError('qr/write-failed', 'zxing-wasm could not encode the text');
      const { width, height, data } = r.symbol;
      const modules = new Uint8Array(width * height);
      for (let i = 0; i < modules.length; i++) modules[i] = (data[i] ?? 255) < 128 ? 1 : 0;
      return { width, height, modules };
    },
  };
}
