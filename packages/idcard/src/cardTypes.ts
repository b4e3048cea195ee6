/**
 * The Vietnamese identity cards the reader knows, oldest first.
 * - `cmnd-9`: Chứng minh nhân dân, 9 digits (green, 1999+).
 * - `cmnd-12`: Chứng minh nhân dân, 12 digits (2012–2016).
 * - `cccd-2016`: Căn cước công dân with a PDF417 barcode on the back (2016–2021).
 * - `cccd-2021`: Căn cước công dân with a chip, QR on the front, MRZ on the back (2021–2024).
 * - `cancuoc-2024`: Căn cước (Law 26/2023), QR and MRZ on the back (from 1 July 2024).
 */
export const cardTypes = ['cmnd-9', 'cmnd-12', 'cccd-2016', 'cccd-2021', 'cancuoc-2024'] as const;

/** One of {@link cardTypes}. */
export type CardType = (typeof cardTypes)[number];

/** Which face of the card an image shows. */
export type CardSide = 'front' | 'back';

/**
 * Every printed field the reader can return, by its English name. A card type prints a subset;
 * its layout ({@link CardLayout}) says which and where.
 */
export const cardFieldNames = [
  'idNumber',
  'fullName',
  'dateOfBirth',
  'sex',
  'nationality',
  'ethnicity',
  'religion',
  'placeOfOrigin',
  'placeOfResidence',
  'placeOfBirthRegistration',
  'expiryDate',
  'issueDate',
  'issuePlace',
  'personalIdentification',
] as const;

/** One of {@link cardFieldNames}. */
export type CardFieldName = (typeof cardFieldNames)[number];

/** ID-1 card size (ISO/IEC 7810) in millimetres: every layout is drawn in this frame. */
export const ID1_WIDTH_MM = 85.6;
export const ID1_HEIGHT_MM = 53.98;
