import { createRng } from '@smart-citizen/core';
import { GenericGF, QRCodeDecoderErrorCorrectionLevel, QRCodeVersion, ReedSolomonEncoder } from '@zxing/library';
import { describe, expect, it } from 'vitest';
import { createZxingWasmEngine } from '../engine/createZxingWasmEngine.js';
import { createBarcodeWriter } from '../testing/qrWriter.js';
import { renderModules } from './moduleGrid.js';
import { blockLayout, rsDecode, softDecodeBlocks } from './softDecode.js';

/** A Reed–Solomon block of `data` random data and `checks` check codewords (zxing's encoder). */
function encodeBlock(rng: ReturnType<typeof createRng>, data: number, checks: number): Uint8Array {
  const words = new Int32Array(data + checks);
  for (let i = 0; i < data; i++) words[i] = rng.int(0, 255);
  new ReedSolomonEncoder(GenericGF.QR_CODE_FIELD_256).encode(words, checks);
  return Uint8Array.from(words);
}

/** Flip each module outside the three finders with probability `rate`; `onFlip` sees each flipped index. */
function flipModules(
  bits: Uint8Array,
  size: number,
  rng: ReturnType<typeof createRng>,
  rate: number,
  onFlip: (i: number) => void = () => {},
): number {
  let flipped = 0;
  for (let i = 0; i < bits.length; i++) {
    const x = i % size;
    const y = Math.floor(i / size);
    if ((x < 9 && y < 9) || (x >= size - 8 && y < 9) || (x < 9 && y >= size - 8)) continue;
    if (rng.next() < rate) {
      bits[i] = (bits[i] as number) ^ 1;
      onFlip(i);
      flipped++;
    }
  }
  return flipped;
}

describe('soft-decision Reed–Solomon', () => {
  it('has the block layout of every version and level that zxing has', () => {
    for (let v = 1; v <= 40; v++) {
      const version = QRCodeVersion.getVersionForNumber(v);
      for (const level of ['L', 'M', 'Q', 'H'] as const) {
        const ec = version.getECBlocksForLevel(QRCodeDecoderErrorCorrectionLevel.fromString(level));
        const data: number[] = [];
        for (const b of ec.getECBlocks()) for (let i = 0; i < b.getCount(); i++) data.push(b.getDataCodewords());
        expect(blockLayout(v, level)).toEqual({
          total: version.getTotalCodewords(),
          checks: ec.getECCodewordsPerBlock(),
          data,
        });
      }
    }
  });

  it('corrects errors and erasures up to 2e + f = 2t, and twice as many wrong codewords when they are erased', () => {
    const rng = createRng(7);
    for (let trial = 0; trial < 200; trial++) {
      const checks = [10, 16, 22, 28][trial % 4] as number;
      const block = encodeBlock(rng, rng.int(10, 60), checks);
      const f = rng.int(0, checks);
      const e = rng.int(0, Math.floor((checks - f) / 2));
      const positions = new Set<number>();
      while (positions.size < e + f) positions.add(rng.int(0, block.length - 1));
      const [erased, wrong] = [[...positions].slice(0, f), [...positions].slice(f)];
      const received = Uint8Array.from(block);
      for (const i of wrong) received[i] = (received[i] as number) ^ rng.int(1, 255);
      // Erased codewords may or may not be wrong.
      for (const i of erased) if (rng.next() < 0.7) received[i] = rng.int(0, 255);
      const out = rsDecode(received, checks, erased);
      expect(out?.block).toEqual(block);
      expect(out?.errors).toBe(e);
    }
  });

  it('rejects a block with more errors than it can correct instead of returning a wrong codeword', () => {
    const rng = createRng(9);
    let wrongAccepted = 0;
    for (let trial = 0; trial < 200; trial++) {
      const block = encodeBlock(rng, 40, 22);
      const received = Uint8Array.from(block);
      const positions = new Set<number>();
      while (positions.size < 14) positions.add(rng.int(0, block.length - 1));
      for (const i of positions) received[i] = (received[i] as number) ^ rng.int(1, 255);
      const out = rsDecode(received, 22);
      if (out) {
        // A result is always a codeword (zero syndromes): it may only be a different one.
        expect(rsDecode(out.block, 22)?.errors).toBe(0);
        if (out.block.some((v, i) => v !== block[i])) wrongAccepted++;
      }
    }
    expect(wrongAccepted).toBeLessThan(5);
  });

  it('reads back a QR matrix whose wrong modules are marked unreliable, beyond what errors alone allow', async () => {
    const writer = await createBarcodeWriter();
    const engine = await createZxingWasmEngine();
    const text = '001099012345|123456789|Nguyễn Văn An|01011990|Nam|Số 1, Phường 2, Quận 3, TP HCM|01012022';
    const code = await writer.write(text, 'QRCode', 'M');
    const size = code.width;
    const rng = createRng(3);
    const bits = Uint8Array.from(code.modules);
    const reliability = new Float32Array(size * size);
    for (let i = 0; i < reliability.length; i++) reliability[i] = 1 + rng.next();
    // Clean: read back unchanged.
    expect(softDecodeBlocks(bits, reliability, size).corrected).toEqual(code.modules);
    // 3% of the modules flipped (beyond errors-only
    // correction, within erasures), each marked unsure.
    const flipped = flipModules(bits, size, rng, 0.03, (i) => {
      reliability[i] = 0.1 * rng.next();
    });
    expect(flipped).toBeGreaterThan(40);
    expect(engine.decode(renderModules(bits, size), { pure: true })[0]?.text).toBeUndefined();
    const fixed = softDecodeBlocks(bits, reliability, size).corrected;
    expect(fixed).toBeDefined();
    expect(engine.decode(renderModules(fixed!, size), { pure: true })[0]?.text).toBe(text);
    // Without the reliabilities (all equal) the same matrix cannot be corrected.
    expect(softDecodeBlocks(bits, new Float32Array(size * size).fill(1), size).corrected).toBeUndefined();
  });

  it('returns the modules of the blocks that decode, right, when another block cannot be corrected', async () => {
    const writer = await createBarcodeWriter();
    const text = '001099012345|123456789|Trần Thị Bình|02021985|Nữ|Số 5, Phường 6, Quận 7, TP HCM|03032023';
    const code = await writer.write(text, 'QRCode', 'M');
    const size = code.width;
    const bits = Uint8Array.from(code.modules);
    const reliability = new Float32Array(size * size).fill(2);
    // About 3.5% of the modules outside the finders flipped, all marked equally sure (no
    // erasures help): with this seed some blocks get more wrong codewords than they can
    // correct, the others fewer.
    const rng = createRng(5);
    const flipped = flipModules(bits, size, rng, 0.035);
    expect(flipped).toBeGreaterThan(30);
    const out = softDecodeBlocks(bits, reliability, size, { slack: 2 });
    expect(out.corrected).toBeUndefined();
    expect(out.blocks).toBeGreaterThan(0);
    expect(out.blocks).toBeLessThan(blockLayout((size - 17) / 4, 'M').data.length);
    const known = out.known as Int8Array;
    let count = 0;
    let fixedFlips = 0;
    for (let i = 0; i < known.length; i++) {
      if ((known[i] as number) < 0) continue;
      count++;
      expect(known[i]).toBe(code.modules[i]);
      if (bits[i] !== code.modules[i]) fixedFlips++;
    }
    // The decoded blocks' modules are known, and some of the inverted ones are put right.
    expect(count).toBeGreaterThan(size * 4);
    expect(fixedFlips).toBeGreaterThan(0);
    // The intact matrix: every block decodes.
    expect(softDecodeBlocks(code.modules, reliability, size).corrected).toEqual(code.modules);
  });

  it('returns undefined for sizes that are not a QR version', () => {
    expect(softDecodeBlocks(new Uint8Array(20 * 20), new Float32Array(20 * 20), 20).corrected).toBeUndefined();
  });
});
