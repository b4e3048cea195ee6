import { isSmartCitizenError } from '@smart-citizen/core';
import type { RasterImage } from '../RasterImage.js';

/** Outcome counts of {@link fuzzDecode} (`decoded` or an error code) and its slowest decode in ms. */
export interface FuzzOutcome {
  outcomes: Map<string, number>;
  slowestMs: number;
}

/**
 * Decode `count` mutations of the seeds (byte flips mostly in the first 256 bytes, cuts,
 * spliced random runs; a fixed LCG from `state`) and count the outcomes. A decoder that throws
 * anything but a `SmartCitizenError`, or returns a buffer of the wrong size, fails at once.
 */
export async function fuzzDecode(
  decode: (bytes: Uint8Array) => Promise<RasterImage>,
  seeds: readonly Uint8Array[],
  count: number,
  state: number,
): Promise<FuzzOutcome> {
  const rnd = (n: number) => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) % n;
  };
  const outcomes = new Map<string, number>();
  let slowestMs = 0;
  for (let k = 0; k < count; k++) {
    const seed = seeds[k % seeds.length] as Uint8Array;
    let bytes = seed.slice();
    const kind = rnd(4);
    if (kind === 0 || kind === 3) {
      // Byte flips, mostly in the headers where the parsers make decisions.
      const flips = 1 + rnd(8);
      for (let i = 0; i < flips; i++) bytes[rnd(rnd(2) ? Math.min(bytes.length, 256) : bytes.length)] = rnd(256);
    }
    if (kind === 1 || kind === 3) bytes = bytes.subarray(0, rnd(bytes.length));
    if (kind === 2) {
      // Splice a run of random bytes in.
      const at = rnd(bytes.length);
      const junk = Uint8Array.from({ length: 1 + rnd(64) }, () => rnd(256));
      const out = new Uint8Array(bytes.length + junk.length);
      out.set(bytes.subarray(0, at));
      out.set(junk, at);
      out.set(bytes.subarray(at), at + junk.length);
      bytes = out;
    }
    const t0 = performance.now();
    let outcome: string;
    try {
      const img = await decode(bytes);
      if (img.data.length !== img.width * img.height * img.channels) throw new Error(`mutation ${k}: bad buffer size`);
      outcome = 'decoded';
    } catch (err) {
      if (!isSmartCitizenError(err)) throw new Error(`untyped error on mutation ${k}: ${String(err)}`);
      outcome = err.code;
    }
    slowestMs = Math.max(slowestMs, performance.now() - t0);
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  }
  return { outcomes, slowestMs };
}
