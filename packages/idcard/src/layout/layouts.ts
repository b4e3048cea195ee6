import type { CardFieldName, CardSide, CardType } from '../cardTypes.js';
import type { CardLayout, FieldFormat, FieldLayout, MmBox, StaticText } from './CardLayout.js';

// Layouts of the five Vietnamese card types, front and back, in millimetres on the ID-1 frame.
// Positions follow the published specimens (CMND: Decree 05/1999 and Circular 04/1999 specimen;
// CCCD 2016: Circular 61/2015/TT-BCA; CCCD 2021: Circular 06/2021/TT-BCA; Căn cước 2024:
// Circular 16/2024/TT-BCA) to about a millimetre — they were read off specimen images, not
// measured on cards, so the reader pads every crop (see readCard).

const RED = [200, 30, 40] as const;
const BLUE = [20, 40, 120] as const;

const box = (x: number, y: number, w: number, h: number): MmBox => ({ x, y, w, h });

/** A field whose first value line follows its label on the same line or below it. */
function field(
  name: CardFieldName,
  format: FieldFormat,
  label: string,
  labelBox: MmBox,
  lines: MmBox[],
  extra: Partial<Pick<FieldLayout, 'upperCase' | 'bold' | 'color'>> = {},
): FieldLayout {
  return { field: name, format, label: { text: label, box: labelBox }, lines, ...extra };
}

const centred = (text: string, y: number, h: number, x = 16, w = 54, extra: Partial<StaticText> = {}): StaticText => ({
  text,
  box: box(x, y, w, h),
  align: 'center',
  ...extra,
});

const NATIONAL_HEADER_BILINGUAL: StaticText[] = [
  centred('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 3.6, 2.4, 16, 54, { bold: true }),
  centred('Độc lập - Tự do - Hạnh phúc', 6.2, 2.2, 16, 54, { bold: true }),
  centred('SOCIALIST REPUBLIC OF VIET NAM', 8.6, 1.7),
  centred('Independence - Freedom - Happiness', 10.4, 1.7),
];

const MRZ_LINES: [MmBox, MmBox, MmBox] = [box(3, 39.6, 79.6, 4), box(3, 44.1, 79.6, 4), box(3, 48.6, 79.6, 4)];

/** Front of the chip-less CCCD 2016 and the CCCD 2021: same field grid, different title and corner. */
function cccdFront(type: 'cccd-2016' | 'cccd-2021'): CardLayout {
  return {
    type,
    side: 'front',
    background: type === 'cccd-2016' ? [226, 236, 244] : [236, 238, 226],
    pattern: type === 'cccd-2016' ? [170, 200, 226] : [206, 196, 150],
    emblem: box(3.5, 3.2, 11, 11),
    portrait: box(3.5, 18, 20, 25.5),
    ...(type === 'cccd-2021' ? { qr: box(70.5, 2.8, 12.5, 12.5) } : {}),
    staticTexts: [
      ...NATIONAL_HEADER_BILINGUAL,
      centred('CĂN CƯỚC CÔNG DÂN', 12.6, 3.2, 16, 54, { bold: true, color: RED }),
      centred('Citizen Identity Card', 15.9, 1.8, 16, 54, { bold: true }),
    ],
    fields: [
      field('idNumber', 'id-number', 'Số / No.:', box(26, 19.4, 11, 2.2), [box(37.5, 18.6, 34, 3.6)], {
        bold: true,
        color: RED,
      }),
      field('fullName', 'name', 'Họ và tên / Full name:', box(26, 23.2, 34, 1.9), [box(26, 25.3, 57, 3.0)], {
        bold: true,
        upperCase: true,
      }),
      field('dateOfBirth', 'date', 'Ngày sinh / Date of birth:', box(26, 29.3, 28, 1.9), [box(54.5, 28.9, 22, 2.6)]),
      field('sex', 'sex', 'Giới tính / Sex:', box(26, 32.4, 16, 1.9), [box(42.5, 32.0, 9, 2.6)]),
      field('nationality', 'text', 'Quốc tịch / Nationality:', box(52.5, 32.4, 20, 1.9), [box(72.5, 32.0, 12, 2.6)]),
      field('placeOfOrigin', 'place', 'Quê quán / Place of origin:', box(26, 35.3, 34, 1.9), [box(26, 37.3, 57, 2.6)]),
      field('placeOfResidence', 'place', 'Nơi thường trú / Place of residence:', box(26, 40.4, 40, 1.9), [
        box(26, 42.6, 57, 2.6),
        box(26, 45.6, 57, 2.6),
      ]),
      field('expiryDate', 'date', 'Có giá trị đến: / Date of expiry', box(2.5, 44.2, 22, 1.6), [
        box(3.5, 46.4, 20, 2.5),
      ]),
    ],
  };
}

function authorityBlock(x: number, y: number, lines: string[]): StaticText[] {
  return lines.map((text, i) => centred(text, y + i * 2.1, 1.8, x, 40, { bold: i < 2 }));
}

/** Every card layout, keyed `type/side`. */
export const cardLayouts: Readonly<Record<`${CardType}/${CardSide}`, CardLayout>> = {
  'cmnd-9/front': {
    type: 'cmnd-9',
    side: 'front',
    background: [214, 236, 208],
    pattern: [150, 200, 150],
    emblem: box(4, 4, 15, 15),
    portrait: box(4.5, 22, 17.5, 23.5),
    staticTexts: [
      centred('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 3.4, 2.2, 22, 60, { bold: true }),
      centred('Độc lập - Tự do - Hạnh phúc', 5.9, 2.0, 22, 60),
      centred('GIẤY CHỨNG MINH NHÂN DÂN', 8.8, 3.4, 22, 60, { bold: true, color: BLUE }),
    ],
    fields: [
      field('idNumber', 'id-number', 'Số', box(30, 13.6, 6, 2.4), [box(37, 12.8, 32, 3.8)], { bold: true, color: RED }),
      field('fullName', 'name', 'Họ tên', box(24, 18.6, 10, 2.2), [box(34.5, 17.9, 49, 3.0)], {
        bold: true,
        upperCase: true,
      }),
      field('dateOfBirth', 'date', 'Sinh ngày', box(24, 23.4, 13, 2.2), [box(37.5, 22.8, 30, 2.8)]),
      field('placeOfOrigin', 'place', 'Nguyên quán', box(24, 27.9, 16, 2.2), [
        box(40.5, 27.4, 43, 2.7),
        box(24, 30.8, 59.5, 2.7),
      ]),
      field('placeOfResidence', 'place', 'Nơi ĐKHK thường trú', box(24, 34.8, 27, 2.2), [
        box(51.5, 34.3, 32, 2.7),
        box(24, 37.7, 59.5, 2.7),
      ]),
    ],
  },
  'cmnd-9/back': {
    type: 'cmnd-9',
    side: 'back',
    background: [214, 236, 208],
    pattern: [150, 200, 150],
    fingerprints: { leftIndex: box(3.5, 8, 17, 21), rightIndex: box(21.5, 8, 17, 21) },
    staticTexts: [
      { text: 'NGÓN TRỎ TRÁI', box: box(3.5, 4.4, 17, 2.2), align: 'center', bold: true },
      { text: 'NGÓN TRỎ PHẢI', box: box(21.5, 4.4, 17, 2.2), align: 'center', bold: true },
      ...authorityBlock(42, 31, ['GIÁM ĐỐC CA']),
    ],
    fields: [
      field('ethnicity', 'text', 'Dân tộc', box(41, 4.2, 11, 2.2), [box(52.5, 3.6, 30, 2.8)]),
      field('religion', 'text', 'Tôn giáo', box(41, 8.4, 12, 2.2), [box(53.5, 7.8, 29, 2.8)]),
      field('personalIdentification', 'text', 'DẤU VẾT RIÊNG VÀ DỊ HÌNH', box(41, 12.6, 42, 2.2), [
        box(41, 15.4, 42, 2.6),
        box(41, 18.4, 42, 2.6),
      ]),
      field('issueDate', 'date', 'Ngày cấp', box(41, 23.2, 12, 2.2), [box(53.5, 22.6, 24, 2.8)]),
      field('issuePlace', 'place', 'Nơi cấp', box(41, 27.2, 11, 2.2), [box(52.5, 26.6, 30, 2.8)], { upperCase: true }),
    ],
  },
  'cmnd-12/front': {
    type: 'cmnd-12',
    side: 'front',
    background: [222, 232, 244],
    pattern: [160, 186, 222],
    emblem: box(3.5, 3.2, 11, 11),
    portrait: box(3.5, 18, 20, 25.5),
    staticTexts: [
      centred('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 3.8, 2.4, 16, 54, { bold: true }),
      centred('Độc lập - Tự do - Hạnh phúc', 6.6, 2.2, 16, 54, { bold: true }),
      centred('CHỨNG MINH NHÂN DÂN', 10.8, 3.6, 16, 54, { bold: true, color: RED }),
    ],
    fields: [
      field('idNumber', 'id-number', 'Số:', box(26, 19.4, 6, 2.2), [box(33, 18.6, 36, 3.6)], {
        bold: true,
        color: RED,
      }),
      field('fullName', 'name', 'Họ và tên:', box(26, 23.4, 15, 1.9), [box(26, 25.5, 57, 3.0)], {
        bold: true,
        upperCase: true,
      }),
      field('dateOfBirth', 'date', 'Ngày sinh:', box(26, 29.5, 14, 1.9), [box(41, 29.1, 22, 2.6)]),
      field('sex', 'sex', 'Giới tính:', box(26, 32.6, 13, 1.9), [box(39.5, 32.2, 9, 2.6)]),
      field('ethnicity', 'text', 'Dân tộc:', box(52, 32.6, 11, 1.9), [box(63.5, 32.2, 19, 2.6)]),
      field('placeOfOrigin', 'place', 'Quê quán:', box(26, 35.6, 13, 1.9), [box(39.5, 35.2, 44, 2.6)]),
      field('placeOfResidence', 'place', 'Nơi thường trú:', box(26, 39.0, 20, 1.9), [
        box(46.5, 38.6, 37, 2.6),
        box(26, 41.9, 57.5, 2.6),
      ]),
      field('expiryDate', 'date', 'Có giá trị đến:', box(2.5, 44.4, 22, 1.7), [box(3.5, 46.4, 20, 2.5)]),
    ],
  },
  'cmnd-12/back': {
    type: 'cmnd-12',
    side: 'back',
    background: [222, 232, 244],
    pattern: [160, 186, 222],
    fingerprints: { leftIndex: box(3.5, 3.5, 17, 21), rightIndex: box(21.5, 3.5, 17, 21) },
    staticTexts: [
      { text: 'Ngón trỏ trái', box: box(3.5, 25, 17, 1.9), align: 'center' },
      { text: 'Ngón trỏ phải', box: box(21.5, 25, 17, 1.9), align: 'center' },
      ...authorityBlock(42, 14.5, ['GIÁM ĐỐC CÔNG AN']),
    ],
    fields: [
      field('personalIdentification', 'text', 'Đặc điểm nhân dạng:', box(41, 3.6, 28, 1.9), [box(41, 5.8, 42, 2.5)]),
      field('issueDate', 'date', 'Ngày, tháng, năm:', box(41, 9.6, 22, 1.9), [box(63.5, 9.2, 20, 2.5)]),
      field('issuePlace', 'place', 'Nơi cấp:', box(41, 18.6, 11, 1.9), [box(52.5, 18.2, 31, 2.5)], { upperCase: true }),
    ],
  },
  'cccd-2016/front': cccdFront('cccd-2016'),
  'cccd-2016/back': {
    type: 'cccd-2016',
    side: 'back',
    background: [226, 236, 244],
    pattern: [170, 200, 226],
    fingerprints: { leftIndex: box(3.5, 3.5, 17, 21), rightIndex: box(21.5, 3.5, 17, 21) },
    pdf417: box(6, 36.5, 74, 14.5),
    staticTexts: [
      { text: 'Ngón trỏ trái', box: box(3.5, 25, 17, 1.9), align: 'center' },
      { text: 'Ngón trỏ phải', box: box(21.5, 25, 17, 1.9), align: 'center' },
      ...authorityBlock(42, 13.5, ['CỤC TRƯỞNG CỤC CẢNH SÁT', 'ĐKQL CƯ TRÚ VÀ DLQG VỀ DÂN CƯ']),
    ],
    fields: [
      field('personalIdentification', 'text', 'Đặc điểm nhân dạng:', box(41, 3.6, 28, 1.9), [box(41, 5.8, 42, 2.5)]),
      field('issueDate', 'date', 'Ngày, tháng, năm:', box(41, 9.4, 22, 1.9), [box(63.5, 9.0, 20, 2.5)]),
    ],
  },
  'cccd-2021/front': cccdFront('cccd-2021'),
  'cccd-2021/back': {
    type: 'cccd-2021',
    side: 'back',
    background: [236, 238, 226],
    pattern: [206, 196, 150],
    chip: box(5, 5, 11.5, 9),
    fingerprints: { leftIndex: box(47.5, 3, 17, 19), rightIndex: box(66, 3, 17, 19) },
    mrz: MRZ_LINES,
    staticTexts: [
      { text: 'Ngón trỏ trái', box: box(47.5, 22.6, 17, 1.8), align: 'center' },
      { text: 'Ngón trỏ phải', box: box(66, 22.6, 17, 1.8), align: 'center' },
      ...authorityBlock(3, 25.6, ['CỤC TRƯỞNG CỤC CẢNH SÁT', 'QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI']),
    ],
    fields: [
      field('personalIdentification', 'text', 'Đặc điểm nhân dạng / Personal identification:', box(3, 16, 43, 1.8), [
        box(3, 18.1, 43, 2.4),
      ]),
      field('issueDate', 'date', 'Ngày, tháng, năm / Date, month, year:', box(3, 21.6, 31, 1.8), [
        box(34, 21.2, 13, 2.4),
      ]),
    ],
  },
  'cancuoc-2024/front': {
    type: 'cancuoc-2024',
    side: 'front',
    background: [232, 236, 244],
    pattern: [186, 196, 226],
    emblem: box(3.5, 3.2, 11, 11),
    portrait: box(3.5, 18, 20, 25.5),
    chip: box(4.5, 44.2, 11, 8.5),
    staticTexts: [
      ...NATIONAL_HEADER_BILINGUAL,
      centred('CĂN CƯỚC', 12.6, 3.4, 16, 54, { bold: true, color: RED }),
      centred('IDENTITY CARD', 16.1, 1.8, 16, 54, { bold: true }),
    ],
    fields: [
      field(
        'idNumber',
        'id-number',
        'Số định danh cá nhân / Personal identification number:',
        box(26, 19.2, 57, 1.9),
        [box(26, 21.3, 40, 3.6)],
        {
          bold: true,
          color: RED,
        },
      ),
      field(
        'fullName',
        'name',
        'Họ, chữ đệm và tên khai sinh / Surname, middle name and given name:',
        box(26, 25.8, 57, 1.9),
        [box(26, 27.9, 57, 3.0)],
        {
          bold: true,
          upperCase: true,
        },
      ),
      field('dateOfBirth', 'date', 'Ngày, tháng, năm sinh / Date of birth:', box(26, 32.0, 35, 1.9), [
        box(26, 34.1, 22, 2.6),
      ]),
      field('sex', 'sex', 'Giới tính / Sex:', box(62, 32.0, 20, 1.9), [box(62, 34.1, 10, 2.6)]),
      field('nationality', 'text', 'Quốc tịch / Nationality:', box(26, 37.8, 30, 1.9), [box(26, 39.9, 22, 2.6)]),
    ],
  },
  'cancuoc-2024/back': {
    type: 'cancuoc-2024',
    side: 'back',
    background: [232, 236, 244],
    pattern: [186, 196, 226],
    qr: box(70.5, 3, 12.5, 12.5),
    mrz: MRZ_LINES,
    staticTexts: [...authorityBlock(40, 29.5, ['BỘ CÔNG AN', 'MINISTRY OF PUBLIC SECURITY'])],
    fields: [
      field('placeOfResidence', 'place', 'Nơi cư trú / Place of residence:', box(3, 3.4, 40, 1.9), [
        box(3, 5.5, 65, 2.6),
        box(3, 8.5, 65, 2.6),
      ]),
      field('placeOfBirthRegistration', 'place', 'Nơi đăng ký khai sinh / Place of birth:', box(3, 12.4, 45, 1.9), [
        box(3, 14.5, 65, 2.6),
      ]),
      field('issueDate', 'date', 'Ngày, tháng, năm cấp / Date of issue:', box(3, 19.2, 32, 1.9), [
        box(3, 21.3, 22, 2.6),
      ]),
      field('expiryDate', 'date', 'Ngày, tháng, năm hết hạn / Date of expiry:', box(38, 19.2, 36, 1.9), [
        box(38, 21.3, 22, 2.6),
      ]),
    ],
  },
};

/**
 * The layout of one card type and side.
 *
 * @param type - Card type.
 * @param side - `front` or `back`.
 * @returns Its {@link CardLayout}.
 */
export function cardLayout(type: CardType, side: CardSide): CardLayout {
  return cardLayouts[`${type}/${side}`];
}

/** Every layout, in a stable order (type order of `cardTypes`, front before back). */
export const allCardLayouts: readonly CardLayout[] = Object.values(cardLayouts);
