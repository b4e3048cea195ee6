import { describe, expect, it } from 'vitest';
import { cardSetArgs } from './cardSets.js';

const ctx = (...args: string[]) => ({ quick: false, args, progress: () => {} });

describe('cardSetArgs', () => {
  it('reads the set, the half and the types and sides asked for', () => {
    const a = cardSetArgs(
      ctx('count=40', 'levels=2', 'seed=30', 'types=cccd-2021,cancuoc-2024', 'sides=back'),
      'report',
    );
    expect(a).toMatchObject({ count: 40, levels: [2], seed: 30, half: 'report' });
    expect(a.types).toEqual(['cccd-2021', 'cancuoc-2024']);
    expect(a.sides).toEqual(['back']);
    const whole = cardSetArgs(ctx(), 'tune');
    expect(whole.types).toBeUndefined();
    expect(whole.sides).toBeUndefined();
    expect(whole.half).toBe('tune');
  });

  it('refuses a card type, side, seed or half it does not know', () => {
    expect(() => cardSetArgs(ctx('types=cccd-2022'), 'report')).toThrow(/types=cccd-2022/);
    expect(() => cardSetArgs(ctx('sides=top'), 'report')).toThrow(/sides=top/);
    expect(() => cardSetArgs(ctx('types='), 'report')).toThrow(/types=/);
    expect(() => cardSetArgs(ctx('seed=-1'), 'report')).toThrow(/seed=-1/);
    expect(() => cardSetArgs(ctx('half=both'), 'report')).toThrow(/half=both/);
  });
});
