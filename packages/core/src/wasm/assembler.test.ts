import { describe, expect, it } from 'vitest';
import { Body, funcType, I32, MODULE_HEADER, name, op, section, sleb, uleb, vec } from './assembler.js';

describe('wasm assembler', () => {
  it('encodes LEB128 as the specification does', () => {
    expect(uleb(0)).toEqual([0]);
    expect(uleb(127)).toEqual([0x7f]);
    expect(uleb(128)).toEqual([0x80, 0x01]);
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(sleb(63)).toEqual([0x3f]);
    expect(sleb(64)).toEqual([0xc0, 0x00]);
    expect(sleb(-1)).toEqual([0x7f]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(vec([[1], [2, 3]])).toEqual([2, 1, 2, 3]);
    expect(name('ab')).toEqual([2, 0x61, 0x62]);
  });

  it('assembles a module that runs: sum of 0 … n − 1 with a named loop counter', async () => {
    const f = new Body('n');
    f.locals(I32, 'i', 'acc');
    f.for(
      'i',
      () => f.get('n'),
      () => {
        f.get('acc', 'i');
        f.emit(op.i32Add);
        f.set('acc');
      },
    );
    f.get('acc');
    const bytes = Uint8Array.from([
      ...MODULE_HEADER,
      ...section(1, vec([funcType([I32], [I32])])),
      ...section(3, vec([[0]])),
      ...section(7, vec([[...name('sum'), 0x00, 0]])),
      ...section(10, vec([f.encode()])),
    ]);
    const { instance } = await WebAssembly.instantiate(bytes);
    const sum = instance.exports.sum as (n: number) => number;
    expect(sum(0)).toBe(0);
    expect(sum(10)).toBe(45);
    expect(sum(1000)).toBe(499500);
    expect(() => new Body().get('nope')).toThrow(/no local nope/);
  });
});
