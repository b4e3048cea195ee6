import { type CardFieldName, type CardSide, type CardType, cardTypes } from '../cardTypes.js';
import type { CardLayout, FieldFormat, FieldLayout, MmBox, StaticText } from './CardLayout.js';
import cancuoc2024 from './cards/cancuoc-2024.json' with { type: 'json' };
import cccd2016 from './cards/cccd-2016.json' with { type: 'json' };
import cccd2021 from './cards/cccd-2021.json' with { type: 'json' };
import cmnd12 from './cards/cmnd-12.json' with { type: 'json' };
import cmnd9 from './cards/cmnd-9.json' with { type: 'json' };

// Layouts of the five Vietnamese card types, front and back, in millimetres on the ID-1 frame:
// one data file a type (cards/<type>.json), expanded here with the parts cards share (headers,
// MRZ band, fingerprint captions, authority block, how each field is printed).
// Positions follow the published specimens (CMND: Decree 05/1999 and Circular 04/1999 specimen;
// CCCD 2016: Circular 61/2015/TT-BCA; CCCD 2021: Circular 06/2021/TT-BCA; Căn cước 2024:
// Circular 16/2024/TT-BCA) to about a millimetre — they were read off specimen images, not
// measured on cards, so the reader pads every crop (see readCard).

/** `[x, y, w, h]` in millimetres: an {@link MmBox} as the data files write it. */
type BoxData = readonly number[];

/** One side of a card type as its data file writes it (`cards/<type>.json`). */
interface CardSideData {
  /** Lay the side out as this type's side, changing only what follows (`qr`, …). */
  like?: CardType;
  emblem?: BoxData;
  portrait?: BoxData;
  chip?: BoxData;
  qr?: BoxData;
  pdf417?: BoxData;
  /** `bilingual`: the national motto in Vietnamese and English across the top ({@link NATIONAL_HEADER_BILINGUAL}). */
  header?: 'bilingual';
  /** Centred static texts (titles) after the header. */
  texts?: readonly { text: string; box: BoxData; bold?: boolean; color?: keyof typeof COLOURS }[];
  fingerprints?: { leftIndex: BoxData; rightIndex: BoxData };
  /** Captions centred under or over the two fingerprint boxes, left then right. */
  fingerprintLabels?: { texts: readonly string[]; y: number; h: number; bold?: boolean };
  /** The issuing authority's lines, 40 mm wide from (x, y), the first two bold. */
  authority?: { x: number; y: number; lines: readonly string[] };
  /** The three MRZ lines of the ID-1 back ({@link MRZ_LINES}). */
  mrz?: boolean;
  fields?: readonly { field: CardFieldName; label: string; labelBox: BoxData; lines: readonly BoxData[] }[];
}

/** A card type's data file: its colours (both sides) and each side. */
interface CardTypeData {
  background: readonly number[];
  pattern: readonly number[];
  front: CardSideData;
  back: CardSideData;
}

const cardData: Readonly<Record<CardType, CardTypeData>> = {
  'cmnd-9': cmnd9,
  'cmnd-12': cmnd12,
  'cccd-2016': cccd2016,
  'cccd-2021': cccd2021,
  'cancuoc-2024': cancuoc2024,
} as unknown as Record<CardType, CardTypeData>;

const COLOURS = { red: [200, 30, 40], blue: [20, 40, 120] } as const;

const box = (x: number, y: number, w: number, h: number): MmBox => ({ x, y, w, h });

function mmBox(b: BoxData): MmBox {
  const [x, y, w, h] = b;
  if (b.length !== 4 || ![x, y, w, h].every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new RangeError(`a layout box is [x, y, w, h] in millimetres, got ${JSON.stringify(b)}`);
  }
  return box(x as number, y as number, w as number, h as number);
}

function rgb(c: readonly number[]): readonly [number, number, number] {
  return [c[0] as number, c[1] as number, c[2] as number];
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

/** How each field is written and printed, the same on every card type that prints it. */
const FIELD_PRINT: Readonly<
  Record<CardFieldName, { format: FieldFormat } & Partial<Pick<FieldLayout, 'upperCase' | 'bold' | 'color'>>>
> = {
  idNumber: { format: 'id-number', bold: true, color: COLOURS.red },
  fullName: { format: 'name', bold: true, upperCase: true },
  dateOfBirth: { format: 'date' },
  sex: { format: 'sex' },
  nationality: { format: 'text' },
  ethnicity: { format: 'text' },
  religion: { format: 'text' },
  placeOfOrigin: { format: 'place' },
  placeOfResidence: { format: 'place' },
  placeOfBirthRegistration: { format: 'place' },
  expiryDate: { format: 'date' },
  issueDate: { format: 'date' },
  issuePlace: { format: 'place', upperCase: true },
  personalIdentification: { format: 'text' },
};

function staticTexts(d: CardSideData): StaticText[] {
  const out: StaticText[] = d.header === 'bilingual' ? [...NATIONAL_HEADER_BILINGUAL] : [];
  for (const t of d.texts ?? []) {
    const b = mmBox(t.box);
    out.push(
      centred(t.text, b.y, b.h, b.x, b.w, {
        ...(t.bold === undefined ? {} : { bold: t.bold }),
        ...(t.color ? { color: COLOURS[t.color] } : {}),
      }),
    );
  }
  const labels = d.fingerprintLabels;
  if (labels && d.fingerprints) {
    [d.fingerprints.leftIndex, d.fingerprints.rightIndex].forEach((finger, i) => {
      const b = mmBox(finger);
      out.push(centred(labels.texts[i] ?? '', labels.y, labels.h, b.x, b.w, labels.bold ? { bold: true } : {}));
    });
  }
  const authority = d.authority;
  if (authority) {
    authority.lines.forEach((text, i) => {
      out.push(centred(text, authority.y + i * 2.1, 1.8, authority.x, 40, { bold: i < 2 }));
    });
  }
  return out;
}

function cardSide(type: CardType, side: CardSide): CardLayout {
  const { background, pattern, [side]: own } = cardData[type];
  const d: CardSideData = own.like ? { ...cardData[own.like][side], ...own } : own;
  const optionalBoxes = (['emblem', 'portrait', 'chip', 'qr'] as const).flatMap((k) => {
    const b = d[k];
    return b ? [[k, mmBox(b)] as const] : [];
  });
  return {
    type,
    side,
    background: rgb(background),
    pattern: rgb(pattern),
    ...Object.fromEntries(optionalBoxes),
    ...(d.fingerprints
      ? { fingerprints: { leftIndex: mmBox(d.fingerprints.leftIndex), rightIndex: mmBox(d.fingerprints.rightIndex) } }
      : {}),
    ...(d.pdf417 ? { pdf417: mmBox(d.pdf417) } : {}),
    ...(d.mrz ? { mrz: MRZ_LINES } : {}),
    staticTexts: staticTexts(d),
    fields: (d.fields ?? []).map(({ field, label, labelBox, lines }): FieldLayout => {
      const { format, ...print } = FIELD_PRINT[field];
      return { field, format, label: { text: label, box: mmBox(labelBox) }, lines: lines.map(mmBox), ...print };
    }),
  };
}

/** Every card layout, keyed `type/side`. */
export const cardLayouts: Readonly<Record<`${CardType}/${CardSide}`, CardLayout>> = Object.fromEntries(
  cardTypes.flatMap((type) => (['front', 'back'] as const).map((side) => [`${type}/${side}`, cardSide(type, side)])),
) as Record<`${CardType}/${CardSide}`, CardLayout>;

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
