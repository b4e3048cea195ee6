import type { CitizenIdentity } from '@smart-citizen/core';
import type { AddressParts } from './address/splitAddress.js';

/** A text in Vietnamese and English. */
export interface LocalizedText {
  vi: string;
  en: string;
}

/** The legal text a form comes from. */
export interface LegalSource {
  /** The instrument, e.g. `Thông tư 66/2023/TT-BCA`. */
  document: string;
  /** Where in it, e.g. `Mẫu CT01` or `Phụ lục III-1`. */
  annex?: string;
  /** Issuing body, e.g. `Bộ Công an`. */
  issuer: string;
  /** Date it was signed, `yyyy-mm-dd`. */
  signed?: string;
  /** Date it took effect, `yyyy-mm-dd`. */
  effective?: string;
  /** Public page where the form was checked. */
  url?: string;
  /** Anything a reader should know (amendments, later replacements). */
  note?: string;
}

/**
 * A step applied to a value on its way into the form, in order:
 * - `upper`: upper case with diacritics (`Nguyễn Văn An` → `NGUYỄN VĂN AN`);
 * - `name-case`: each word capitalised;
 * - `normalize`: Vietnamese text normalisation (spaces, NFC, tone placement);
 * - `date`: a date as `dd/mm/yyyy` (or `mm/yyyy`, `yyyy` when partial);
 * - `date-words`: a date in words, `ngày 01 tháng 01 năm 1999`;
 * - `year`: the year of a date only;
 * - `sex`: `Nam` / `Nữ`;
 * - `address`: a one-line address split into parts and normalised to the current units
 *   (old units kept under `previous`), an {@link AddressValue};
 * - `address-line`: the same, as one current line;
 * - `identity-document`: the card as a document reference (`Căn cước số …, cấp ngày …`);
 * - `card-type`: the kind of card in words (`Căn cước`, `Căn cước công dân`, `Chứng minh nhân dân`);
 * - `number-words`: an amount in Vietnamese words (`một trăm triệu đồng`).
 */
export type FieldTransform =
  | 'upper'
  | 'name-case'
  | 'normalize'
  | 'date'
  | 'date-words'
  | 'year'
  | 'sex'
  | 'address'
  | 'address-line'
  | 'identity-document'
  | 'card-type'
  | 'number-words';

/** A condition on a mapping: it applies only when the value at `identity` or `data` is one of `oneOf` (compared without case or diacritics). */
export type MappingCondition = { identity: keyof CitizenIdentity; oneOf: string[] } | { data: string; oneOf: string[] };

/** Where a field's value comes from when the citizen did not answer it. */
export type FieldSource =
  | {
      /** A {@link CitizenIdentity} field; `'$self'` is the whole identity (for `identity-document`). */
      identity: keyof CitizenIdentity | '$self';
      transform?: FieldTransform[];
      when?: MappingCondition;
    }
  | {
      /** Another field of this form's data (dotted path), e.g. a date written again in words. */
      data: string;
      transform?: FieldTransform[];
      when?: MappingCondition;
    };

/** One field of a form. */
export interface FieldDefinition {
  /** Dotted path into the form data, e.g. `child.dateOfBirth`. */
  path: string;
  label: LocalizedText;
  help?: LocalizedText;
  /** Where the value comes from, first match wins; answers always take precedence. */
  from?: FieldSource[];
  /** Transformations applied to the citizen's own answer too (e.g. upper case). */
  answerTransform?: FieldTransform[];
  /** The default name of the matching input on the public-service portal, for {@link fillHtmlForm}. */
  htmlName?: string;
}

/** A rule between fields, checked after the schema. */
export type CrossFieldRule =
  | {
      kind: 'date-after';
      /** The later date (dotted path). */
      path: string;
      /** The earlier date (dotted path). */
      after: string;
      /** Minimum gap in whole years (e.g. a parent is at least 12 years older). @default 0 */
      minYears?: number;
      message: LocalizedText;
    }
  | {
      kind: 'date-not-future';
      path: string;
      message: LocalizedText;
    }
  | {
      kind: 'required-if';
      path: string;
      /** Required when the value at `if` is one of `oneOf` (folded compare). */
      if: string;
      oneOf: string[];
      message: LocalizedText;
    };

/** One printed block of a form. */
export type LayoutBlock =
  | { kind: 'heading'; text: string }
  | { kind: 'title'; text: string }
  | { kind: 'text'; text: string }
  | { kind: 'field'; path: string; label?: string }
  /** Several short fields on one line. */
  | { kind: 'row'; paths: string[]; labels?: string[] }
  /** An address field printed as its parts, one per line. */
  | { kind: 'address'; path: string; label: string }
  /** An array of objects printed as a table. */
  | { kind: 'table'; path: string; label: string; columns: { path: string; label: string; width: number }[] }
  /** Place/date line and signature box. */
  | { kind: 'signature'; datePath?: string; placePath?: string; roles: string[] }
  | { kind: 'space'; height: number };

/** How a form is printed. */
export interface PrintLayout {
  /** The form code printed in the top-right corner, e.g. `Mẫu CT01`. */
  code?: string;
  /** Print the national motto header (Cộng hòa xã hội chủ nghĩa Việt Nam …). @default true */
  nationalHeader?: boolean;
  blocks: LayoutBlock[];
}

/** A form definition: data, not code. Validated when registered. */
export interface FormDefinition {
  /** Stable id, lower case, e.g. `ct01`. */
  id: string;
  /** Version of this definition (`major.minor.patch`). */
  version: string;
  title: LocalizedText;
  description?: LocalizedText;
  /** The procedure(s) it serves. */
  procedures?: LocalizedText[];
  sources: LegalSource[];
  /** JSON Schema (draft 2020-12) of the form data. */
  schema: Record<string, unknown>;
  fields: FieldDefinition[];
  rules?: CrossFieldRule[];
  layout: PrintLayout;
}

/**
 * An address split into parts ({@link AddressParts}), in current units when it could be
 * normalised; `district` only for an address still in the pre-2025 units.
 */
export interface AddressValue extends AddressParts {
  /** The whole address on one line (current units when normalised). */
  line: string;
  /** The address as it was before normalisation, when it changed. */
  previous?: {
    line: string;
    ward?: string;
    district?: string;
    province?: string;
  };
}
