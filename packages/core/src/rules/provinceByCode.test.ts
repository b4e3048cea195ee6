import { describe, expect, it } from 'vitest';
import { provinceCodes } from '../data/provinceCodes.js';
import { normalizeVietnamese } from '../text/normalizeVietnamese.js';
import { provinceByCode } from './provinceByCode.js';

// The 63 codes of Thông tư 07/2016/TT-BCA, written out here independently of the data table.
const expected: [string, string][] = [
  ['001', 'Hà Nội'],
  ['002', 'Hà Giang'],
  ['004', 'Cao Bằng'],
  ['006', 'Bắc Kạn'],
  ['008', 'Tuyên Quang'],
  ['010', 'Lào Cai'],
  ['011', 'Điện Biên'],
  ['012', 'Lai Châu'],
  ['014', 'Sơn La'],
  ['015', 'Yên Bái'],
  ['017', 'Hòa Bình'],
  ['019', 'Thái Nguyên'],
  ['020', 'Lạng Sơn'],
  ['022', 'Quảng Ninh'],
  ['024', 'Bắc Giang'],
  ['025', 'Phú Thọ'],
  ['026', 'Vĩnh Phúc'],
  ['027', 'Bắc Ninh'],
  ['030', 'Hải Dương'],
  ['031', 'Hải Phòng'],
  ['033', 'Hưng Yên'],
  ['034', 'Thái Bình'],
  ['035', 'Hà Nam'],
  ['036', 'Nam Định'],
  ['037', 'Ninh Bình'],
  ['038', 'Thanh Hóa'],
  ['040', 'Nghệ An'],
  ['042', 'Hà Tĩnh'],
  ['044', 'Quảng Bình'],
  ['045', 'Quảng Trị'],
  ['046', 'Thừa Thiên Huế'],
  ['048', 'Đà Nẵng'],
  ['049', 'Quảng Nam'],
  ['051', 'Quảng Ngãi'],
  ['052', 'Bình Định'],
  ['054', 'Phú Yên'],
  ['056', 'Khánh Hòa'],
  ['058', 'Ninh Thuận'],
  ['060', 'Bình Thuận'],
  ['062', 'Kon Tum'],
  ['064', 'Gia Lai'],
  ['066', 'Đắk Lắk'],
  ['067', 'Đắk Nông'],
  ['068', 'Lâm Đồng'],
  ['070', 'Bình Phước'],
  ['072', 'Tây Ninh'],
  ['074', 'Bình Dương'],
  ['075', 'Đồng Nai'],
  ['077', 'Bà Rịa - Vũng Tàu'],
  ['079', 'Hồ Chí Minh'],
  ['080', 'Long An'],
  ['082', 'Tiền Giang'],
  ['083', 'Bến Tre'],
  ['084', 'Trà Vinh'],
  ['086', 'Vĩnh Long'],
  ['087', 'Đồng Tháp'],
  ['089', 'An Giang'],
  ['091', 'Kiên Giang'],
  ['092', 'Cần Thơ'],
  ['093', 'Hậu Giang'],
  ['094', 'Sóc Trăng'],
  ['095', 'Bạc Liêu'],
  ['096', 'Cà Mau'],
];

describe('province code table', () => {
  it('has the 63 provinces, unique codes, in code order', () => {
    expect(expected).toHaveLength(63);
    expect(provinceCodes).toHaveLength(63);
    expect(new Set(provinceCodes.map((p) => p.code)).size).toBe(63);
    const codes = provinceCodes.map((p) => p.code);
    expect([...codes].sort()).toEqual(codes);
  });

  it.each(expected)('%s is %s', (code, name) => {
    const p = provinceByCode(code);
    expect(p?.code).toBe(code);
    expect(p?.name).toBe(name);
    expect(p?.fullName).toMatch(/^(Tỉnh|Thành phố) /);
    expect(p?.fullName.endsWith(name)).toBe(true);
    // names are stored in the SDK's canonical form
    expect(normalizeVietnamese(p?.name ?? '')).toBe(p?.name);
  });

  it('marks the five centrally-run cities', () => {
    const cities = provinceCodes.filter((p) => p.fullName.startsWith('Thành phố')).map((p) => p.code);
    expect(cities).toEqual(['001', '031', '048', '079', '092']);
  });

  it('maps the 63 provinces onto the 34 of 1 July 2025', () => {
    const after = new Set(provinceCodes.map((p) => p.province2025));
    expect(after.size).toBe(34);
    // the 11 provinces that were not merged map to themselves
    for (const code of ['001', '004', '011', '012', '014', '020', '022', '038', '040', '042']) {
      const p = provinceByCode(code);
      expect(p?.province2025).toBe(p?.name);
    }
    expect(provinceByCode('046')?.province2025).toBe('Huế');
    expect(provinceByCode('074')?.province2025).toBe('Hồ Chí Minh');
    expect(provinceByCode('077')?.province2025).toBe('Hồ Chí Minh');
    expect(provinceByCode('035')?.province2025).toBe('Ninh Bình');
    expect(provinceByCode('036')?.province2025).toBe('Ninh Bình');
    // each name of 2025 is the name of one of the merged provinces
    const names = new Set(provinceCodes.map((p) => p.name));
    for (const n of after) expect(n === 'Huế' || names.has(n)).toBe(true);
  });

  it('returns undefined for codes outside the table and bad input', () => {
    for (const code of ['000', '003', '005', '097', '099', '100', '999', 'abc', '', '0001', '1.5']) {
      expect(provinceByCode(code)).toBeUndefined();
    }
    expect(provinceByCode(-1)).toBeUndefined();
    expect(provinceByCode(1.5)).toBeUndefined();
  });

  it('pads short codes and numbers', () => {
    expect(provinceByCode(1)?.name).toBe('Hà Nội');
    expect(provinceByCode('79')?.name).toBe('Hồ Chí Minh');
    expect(provinceByCode(' 096 ')?.name).toBe('Cà Mau');
  });
});
