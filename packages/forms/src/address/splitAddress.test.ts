import { describe, expect, it } from 'vitest';
import { type AddressParts, MAX_ADDRESS_LENGTH, formatAddressLine, splitAddress } from './splitAddress.js';

describe('splitAddress', () => {
  it.each<[string, string, AddressParts]>([
    [
      'an old three-level address with a house number and street',
      'Số 12 đường Lê Lợi, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh',
      {
        houseNumber: 'Số 12',
        street: 'đường Lê Lợi',
        ward: 'Phường Bến Nghé',
        district: 'Quận 1',
        province: 'TP. Hồ Chí Minh',
      },
    ],
    [
      'a current two-level address (no district)',
      '25 Nguyễn Văn Bảo, Phường Hạnh Thông, Thành phố Hồ Chí Minh',
      { houseNumber: '25', street: 'Nguyễn Văn Bảo', ward: 'Phường Hạnh Thông', province: 'Thành phố Hồ Chí Minh' },
    ],
    [
      'a hamlet',
      'Thôn 3, Xã Tân Phú, Huyện Đồng Phú, Tỉnh Bình Phước',
      { hamlet: 'Thôn 3', ward: 'Xã Tân Phú', district: 'Huyện Đồng Phú', province: 'Tỉnh Bình Phước' },
    ],
    [
      'abbreviations',
      '12A/3 Lê Lợi, P.4, Q. Gò Vấp, TP.HCM',
      { houseNumber: '12A/3', street: 'Lê Lợi', ward: 'P.4', district: 'Q. Gò Vấp', province: 'TP.HCM' },
    ],
    [
      'with spacing and tone placement normalised and control characters stripped',
      '  Xã  Nghĩa\u0000 Hoà ,\nHuyện Tư Nghĩa ; Tỉnh Quảng Ngãi ',
      { ward: 'Xã Nghĩa Hòa', district: 'Huyện Tư Nghĩa', province: 'Tỉnh Quảng Ngãi' },
    ],
  ])('splits %s', (_what, line, parts) => {
    expect(splitAddress(line)).toEqual(parts);
  });

  it('joins parts back into one line', () => {
    expect(
      formatAddressLine({
        houseNumber: '5',
        street: 'Hàng Bạc',
        ward: 'Phường Hoàn Kiếm',
        province: 'Thành phố Hà Nội',
      }),
    ).toBe('5 Hàng Bạc, Phường Hoàn Kiếm, Thành phố Hà Nội');
  });

  it('never throws and bounds its work on arbitrary input', () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const alphabet = 'aăâđeêoôơuưyxqpPQ., ;/-0123456789<>"\'\u0000\u202eẾỆỮ\n';
    for (let i = 0; i < 5000; i++) {
      const len = Math.floor(rand() * 80);
      let s = '';
      for (let j = 0; j < len; j++) s += alphabet[Math.floor(rand() * alphabet.length)];
      const parts = splitAddress(s);
      for (const v of Object.values(parts)) expect(typeof v).toBe('string');
    }
    const huge = 'Phường 1, '.repeat(10_000);
    expect(formatAddressLine(splitAddress(huge)).length).toBeLessThanOrEqual(MAX_ADDRESS_LENGTH);
  });
});
