/**
 * The OCR-B letter a digit read where only a letter can stand is taken for (`B0I` → `BOI` in the
 * name line, `1DVNM` → `IDVNM` in the document code): the reverse of core's `MRZ_DIGIT_LOOKALIKES`.
 */
export const LETTER_FOR_DIGIT: Readonly<Record<string, string>> = {
  '0': 'O',
  '1': 'I',
  '2': 'Z',
  '5': 'S',
  '6': 'G',
  '8': 'B',
};
