import { describe, expect, it } from 'vitest';
import { type BenchDefinition, formatTable, percentile, selects } from './index.js';

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

describe('selects', () => {
  const bench = (pkg: string, name: string): BenchDefinition => ({
    pkg,
    name,
    description: '',
    run: async () => ({ tables: [] }),
  });
  const all = [bench('idcard', 'idcard'), bench('idcard', 'idcard-pairs'), bench('adapter-pg', 'dedupe')];
  const picked = (name: string) => all.filter((b) => selects(all, b, name)).map((b) => b.name);

  it('picks the bench of that name before the package of that name', () => {
    expect(picked('idcard')).toEqual(['idcard']);
    expect(picked('idcard-pairs')).toEqual(['idcard-pairs']);
    expect(picked('idcard/idcard-pairs')).toEqual(['idcard-pairs']);
  });

  it('picks every bench of a package that has no bench of its name', () => {
    expect(picked('adapter-pg')).toEqual(['dedupe']);
    expect(picked('nothing')).toEqual([]);
  });
});
