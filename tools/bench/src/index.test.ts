import { describe, expect, it } from 'vitest';
import { formatTable, percentile } from './index.js';

describe('formatTable', () => {
  it('takes the columns from every row, in order of first appearance', () => {
    const out = formatTable({
      title: 't',
      rows: [
        { a: 1, b: 'x' },
        { a: 2, c: 0.5 },
      ],
    });
    const lines = out.split('\n');
    expect(lines[1]).toBe('| a | b | c     |');
    expect(lines[3]).toBe('| 1 | x | –     |');
    expect(lines[4]).toBe('| 2 | – | 0.500 |');
  });

  it('says when a table has no rows', () => {
    expect(formatTable({ title: 'empty', rows: [] })).toBe('### empty\n(no rows)\n');
  });
});

describe('percentile', () => {
  it('interpolates between ranks and gives NaN for no values', () => {
    expect(percentile([3, 1, 2], 50)).toBe(2);
    expect(percentile([0, 10], 25)).toBe(2.5);
    expect(percentile([], 50)).toBeNaN();
  });
});
