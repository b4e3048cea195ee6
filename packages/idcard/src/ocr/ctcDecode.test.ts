import { describe, expect, it } from 'vitest';
import { allowedClasses, ctcGreedyDecode } from './ctcDecode.js';

const charset = ['a', 'b', '1'];

/** Build log-probabilities where each step puts `p` on one class and spreads the rest. */
function steps(rows: Array<[number, number]>): Float32Array {
  const out = new Float32Array(rows.length * 4);
  rows.forEach(([k, p], t) => {
    for (let c = 0; c < 4; c++) out[t * 4 + c] = Math.log(c === k ? p : (1 - p) / 3);
  });
  return out;
}

describe('ctcGreedyDecode', () => {
  it('merges repeats, drops blanks and keeps a blank-separated double letter', () => {
    const lp = steps([
      [1, 0.9],
      [1, 0.95],
      [0, 0.9],
      [1, 0.8],
      [2, 0.7],
      [0, 0.99],
    ]);
    const r = ctcGreedyDecode(lp, 6, 4, charset);
    expect(r.text).toBe('aab');
    expect(r.chars.map((c) => c.confidence)).toEqual([
      expect.closeTo(0.95, 5),
      expect.closeTo(0.8, 5),
      expect.closeTo(0.7, 5),
    ]);
    expect(r.confidence).toBeCloseTo(0.7, 5);
  });

  it('restricts decoding to the allowed symbols', () => {
    const lp = steps([
      [1, 0.6],
      [0, 0.9],
    ]);
    // 'a' wins, but only '1' is allowed: the best allowed class (or the blank) is taken instead
    const r = ctcGreedyDecode(lp, 2, 4, charset, allowedClasses(charset, '1'));
    expect(r.text).toBe('');
    const lp2 = new Float32Array([Math.log(0.1), Math.log(0.5), Math.log(0.1), Math.log(0.3)]);
    expect(ctcGreedyDecode(lp2, 1, 4, charset, allowedClasses(charset, '1')).text).toBe('1');
  });

  it('rejects arrays that do not match the shape', () => {
    expect(() => ctcGreedyDecode(new Float32Array(3), 1, 4, charset)).toThrow(RangeError);
    expect(() => ctcGreedyDecode(new Float32Array(4), 1, 4, ['a'])).toThrow(RangeError);
  });
});

describe('ctcGreedyDecode alternatives', () => {
  it("lists the other allowed classes' weight at the character's most certain frame, likeliest first", () => {
    const lp = new Float32Array(2 * 4);
    // frame 0: 'a' 0.6, 'b' 0.3, '1' 0.08, blank 0.02; frame 1: blank
    [0.02, 0.6, 0.3, 0.08].forEach((p, k) => {
      lp[k] = Math.log(p);
    });
    [0.97, 0.01, 0.01, 0.01].forEach((p, k) => {
      lp[4 + k] = Math.log(p);
    });
    const r = ctcGreedyDecode(lp, 2, 4, charset);
    expect(r.text).toBe('a');
    expect(r.chars[0]?.alternatives?.map((a) => a.char)).toEqual(['b', '1']);
    expect(r.chars[0]?.alternatives?.[0]?.confidence).toBeCloseTo(0.3, 5);
    // a class the field's alphabet excludes is no alternative
    const onlyA = ctcGreedyDecode(lp, 2, 4, charset, allowedClasses(charset, 'a1'));
    expect(onlyA.chars[0]?.alternatives?.map((a) => a.char)).toEqual(['1']);
  });
});
