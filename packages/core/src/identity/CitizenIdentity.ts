/**
 * A calendar date that may be partial: old cards and some records print only a year (or a
 * month and year). `month` and `day` are 1-based and present only when known.
 */
export interface PartialDate {
  year: number;
  month?: number;
  day?: number;
}

/** Sex as printed on Vietnamese cards: `Nam` (male) is `M`, `Nữ` (female) is `F`. */
export type Sex = 'M' | 'F';

/** The kind of document an identity was read from. */
export type CardType =
  /** Chứng minh nhân dân, 9 digits (1979–2021), or 12 digits (2012–2016). */
  | 'cmnd'
  /** Căn cước công dân with barcode (2016–2021). */
  | 'cccd-2016'
  /** Căn cước công dân with chip (2021–2024). */
  | 'cccd-chip-2021'
  /** Căn cước (from 1 July 2024). */
  | 'can-cuoc-2024'
  | 'unknown';

/**
 * Every field the Vietnamese identity cards (CMND, CCCD, Căn cước) and their chips carry.
 * Only `idNumber` or `oldIdNumber` is needed to name a citizen; every other field is optional
 * because each source (QR, MRZ, OCR, chip) carries a different subset.
 * Text fields hold the text as printed, in Unicode NFC.
 */
export interface CitizenIdentity {
  /** Số định danh cá nhân: the 12-digit personal identification number. */
  idNumber?: string;
  /** Số CMND: the old 9-digit (or 12-digit) identity card number, when known. */
  oldIdNumber?: string;
  /** Họ, chữ đệm và tên: full name. */
  fullName?: string;
  /** Other names, if any (Tên gọi khác). */
  otherNames?: string;
  dateOfBirth?: PartialDate;
  sex?: Sex;
  /** Quốc tịch, e.g. `Việt Nam`. */
  nationality?: string;
  /** Dân tộc, e.g. `Kinh`. */
  ethnicity?: string;
  /** Tôn giáo, e.g. `Không`. */
  religion?: string;
  /** Quê quán (CCCD) or Nơi đăng ký khai sinh (Căn cước 2024). */
  placeOfOrigin?: string;
  /** Nơi thường trú / Nơi cư trú. */
  placeOfResidence?: string;
  /** Đặc điểm nhận dạng: identifying marks. */
  identifyingMarks?: string;
  /** Ngày cấp. */
  issueDate?: PartialDate;
  /** Có giá trị đến; absent when the card does not expire ("Không thời hạn"). */
  expiryDate?: PartialDate;
  /** True when the card says it has no expiry date. */
  noExpiry?: boolean;
  /** Nơi cấp / the issuing authority. */
  issuingAuthority?: string;
  /** Họ tên cha (chip). */
  fatherName?: string;
  /** Họ tên mẹ (chip). */
  motherName?: string;
  /** Họ tên vợ/chồng (chip). */
  spouseName?: string;
  cardType?: CardType;
}

/**
 * What a {@link CitizenIdentity} field holds: an ID `number`, a person's `name`, other printed
 * `text`, a `date`, the `sex`, a boolean `flag`, or the `card-type`.
 */
export type CitizenIdentityFieldKind = 'number' | 'name' | 'text' | 'date' | 'sex' | 'flag' | 'card-type';

/**
 * Every {@link CitizenIdentity} field with its kind, in card order: the one table that the type
 * check ({@link citizenIdentityFields}), the cross-checks and the comparison with the record read.
 * @internal
 */
export const citizenIdentityFieldKinds = {
  idNumber: 'number',
  oldIdNumber: 'number',
  fullName: 'name',
  otherNames: 'name',
  dateOfBirth: 'date',
  sex: 'sex',
  nationality: 'text',
  ethnicity: 'text',
  religion: 'text',
  placeOfOrigin: 'text',
  placeOfResidence: 'text',
  identifyingMarks: 'text',
  issueDate: 'date',
  expiryDate: 'date',
  noExpiry: 'flag',
  issuingAuthority: 'text',
  fatherName: 'name',
  motherName: 'name',
  spouseName: 'name',
  cardType: 'card-type',
} as const satisfies { readonly [F in keyof Required<CitizenIdentity>]: CitizenIdentityFieldKind };

/** A field of {@link CitizenIdentity}. */
type CitizenIdentityField = keyof typeof citizenIdentityFieldKinds;

/** Names of every {@link CitizenIdentity} field, in card order. */
export const citizenIdentityFields = Object.keys(citizenIdentityFieldKinds) as readonly CitizenIdentityField[];

/**
 * The fields of one kind, in card order.
 * @internal
 */
export const citizenIdentityFieldsOf = (kind: CitizenIdentityFieldKind): readonly CitizenIdentityField[] =>
  citizenIdentityFields.filter((f) => citizenIdentityFieldKinds[f] === kind);
