import type { CardFieldName } from '../cardTypes.js';
import type { RecognizedLine } from '../ocr/ctcDecode.js';
import type { FieldLines, ReadCardFieldsOptions } from './readCardFields.js';
import { readPrintedFields } from './readPrintedFields.js';

/**
 * A field's lines as read from the crops, and — for the crops that showed glare — as read from the
 * crop with the highlight taken out (`deglareLine`): `undefined` where a crop showed none.
 * @internal
 */
export interface GlareAlternatives {
  field: CardFieldName;
  clear: readonly (RecognizedLine | undefined)[];
}

/** How much a field's post-processed reading is worth: its confidence when the rules accept a value, else 0. */
function worth(lines: readonly FieldLines[], field: CardFieldName, options: ReadCardFieldsOptions): number {
  const v = readPrintedFields(lines, options).fields[field];
  return v?.value === undefined ? 0 : v.confidence;
}

/**
 * Each field with a glared crop keeps the reading of the plain crops or takes the readings of the
 * cleared ones, whichever its field's rules (a date, an ID number's rules, a name in the list, a
 * place among the units; free text: the recogniser's confidence) accept with the higher
 * confidence; a tie keeps the plain crops' reading. The other fields are read as they are: a date
 * of birth and an ID number check each other, so the choice is made with the side's other lines.
 *
 * @param lines - The side's lines as read from the plain crops.
 * @param alternatives - The cleared readings of the fields whose crops showed glare.
 * @param options - As for `readCardFields` (lexicon, places, card type, today).
 * @returns The side's lines with the chosen readings, and the fields that took a cleared reading.
 * @internal
 */
export function chooseGlareReadings(
  lines: readonly FieldLines[],
  alternatives: readonly GlareAlternatives[],
  options: ReadCardFieldsOptions,
): { lines: FieldLines[]; cleared: CardFieldName[] } {
  let chosen = [...lines];
  const cleared: CardFieldName[] = [];
  for (const alt of alternatives) {
    const at = chosen.findIndex((f) => f.field === alt.field);
    const plain = chosen[at];
    if (!plain) continue;
    const swapped = [...chosen];
    swapped[at] = { ...plain, lines: plain.lines.map((l, i) => alt.clear[i] ?? l) };
    if (worth(swapped, alt.field, options) > worth(chosen, alt.field, options)) {
      chosen = swapped;
      cleared.push(alt.field);
    }
  }
  return { lines: chosen, cleared };
}
