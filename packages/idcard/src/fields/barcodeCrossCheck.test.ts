import { describe, expect, it } from 'vitest';
import { barcodeIdNumbers, crossCheckBarcode } from './barcodeCrossCheck.js';

const pdf = (text: string) => ({ format: 'PDF417' as const, text });
const codes = (text: string, id?: string) => crossCheckBarcode(pdf(text), id).map((i) => i.code);

describe('the PDF417 of a CCCD 2016 back against the card number', () => {
  it('finds 12-digit runs whatever separates them, not parts of longer runs', () => {
    expect(barcodeIdNumbers('001099012345|NGUYEN VAN A|01011999')).toEqual(['001099012345']);
    expect(barcodeIdNumbers('x001099012345y;079201000001')).toEqual(['001099012345', '079201000001']);
    expect(barcodeIdNumbers('0010990123456')).toEqual([]); // 13 digits: no number of the card
    expect(barcodeIdNumbers('001099012345 001099012345')).toEqual(['001099012345']);
  });

  it('agrees, disagrees or has nothing to say, naming no value', () => {
    expect(codes('001099012345|A', '001099012345')).toEqual(['idcard/barcode-agrees']);
    const d = crossCheckBarcode(pdf('001099012346|A'), '001099012345');
    expect(d.map((i) => [i.code, i.severity])).toEqual([['idcard/barcode-disagrees', 'warning']]);
    expect(d[0]?.message).not.toMatch(/\d{6}/);
    expect(codes('NGUYEN VAN A', '001099012345')).toEqual(['idcard/barcode-no-number']);
    // no card number known (a back read alone): nothing to compare, no verdict
    expect(codes('001099012345|A', undefined)).toEqual([]);
    expect(codes('001099012345|A', '12345')).toEqual([]);
  });

  it('takes hostile text without a crash', () => {
    expect(codes('9'.repeat(200_000), '999999999999')).toEqual(['idcard/barcode-no-number']);
    expect(codes('\u0000\uffff\ud800 ١٢٣٤٥٦٧٨٩٠١٢', '001099012345')).toEqual(['idcard/barcode-no-number']);
    expect(codes(`${'1'.repeat(12)}x`.repeat(10_000), '111111111111')).toEqual(['idcard/barcode-agrees']);
  });
});
