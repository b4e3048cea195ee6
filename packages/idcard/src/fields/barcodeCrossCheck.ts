import { type Issue, issue } from '@smart-citizen/core';

/** The text of a CCCD 2016 back's PDF417 barcode, as decoded. */
export interface CardBarcode {
  format: 'PDF417';
  /** The decoded text, raw: its layout is not publicly documented (see the qr package's README). */
  text: string;
}

/** 12-digit runs of the text: the candidates for the citizen's number, whatever separates the values. */
export function barcodeIdNumbers(text: string): string[] {
  return [...new Set(text.match(/(?<!\d)\d{12}(?!\d)/g) ?? [])];
}

/**
 * The PDF417 barcode of a CCCD 2016 back against the card's printed (or MRZ) ID number. The
 * barcode's layout is not published, so only what any layout would have to hold is checked: a
 * 12-digit number in the text that equals the card's number agrees (`idcard/barcode-agrees`,
 * info); 12-digit numbers none of which is the card's number disagree (`idcard/barcode-disagrees`,
 * warning: a misread number, or a back that belongs to another card); a text without a 12-digit
 * number says nothing (`idcard/barcode-no-number`, info). Messages name no value.
 *
 * @param barcode - The decoded barcode.
 * @param idNumber - The card's 12-digit number as read from its print or MRZ, when known.
 */
export function crossCheckBarcode(barcode: CardBarcode, idNumber: string | undefined): Issue[] {
  const numbers = barcodeIdNumbers(barcode.text);
  if (!numbers.length)
    return [issue('idcard/barcode-no-number', 'info', 'the barcode holds no 12-digit number to compare', 'pdf417')];
  if (!idNumber || !/^\d{12}$/.test(idNumber)) return [];
  return numbers.includes(idNumber)
    ? [issue('idcard/barcode-agrees', 'info', "the barcode holds the card's ID number", 'pdf417')]
    : [
        issue(
          'idcard/barcode-disagrees',
          'warning',
          "the barcode's 12-digit number is not the card's ID number: a misread number, or the back of another card",
          'pdf417',
        ),
      ];
}
