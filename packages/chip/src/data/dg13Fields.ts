import type { CitizenIdentity } from '@smart-citizen/core';

/** How one DG13 entry's text becomes an identity field. */
export type Dg13FieldKind = 'text' | 'date' | 'sex' | 'parents' | 'id-number';

/**
 * The DG13 (tag 6D) entries of the CCCD / Căn cước chip by id. Ids 15 and 16 are reported
 * differently by different readers (one says 15 is the old ID number, another 16); both are
 * read as an old ID number only when the text is 9 or 12 digits.
 */
export const dg13Fields: Readonly<Record<number, { field: keyof CitizenIdentity | 'parents'; kind: Dg13FieldKind }>> = {
  1: { field: 'idNumber', kind: 'id-number' },
  2: { field: 'fullName', kind: 'text' },
  3: { field: 'dateOfBirth', kind: 'date' },
  4: { field: 'sex', kind: 'sex' },
  5: { field: 'nationality', kind: 'text' },
  6: { field: 'ethnicity', kind: 'text' },
  7: { field: 'religion', kind: 'text' },
  8: { field: 'placeOfOrigin', kind: 'text' },
  9: { field: 'placeOfResidence', kind: 'text' },
  10: { field: 'identifyingMarks', kind: 'text' },
  11: { field: 'issueDate', kind: 'date' },
  12: { field: 'expiryDate', kind: 'date' },
  13: { field: 'parents', kind: 'parents' },
  14: { field: 'spouseName', kind: 'text' },
  15: { field: 'oldIdNumber', kind: 'id-number' },
  16: { field: 'oldIdNumber', kind: 'id-number' },
};
