/**
 * What a decoded QR / barcode text looks like, before any field is read. Used to reject
 * codes that are clearly not a citizen card (a payment code held up by mistake) with a
 * precise reason.
 * - `cccd`: `|`-separated text whose first field is a 12-digit personal identification number.
 * - `vietqr`: an EMVCo merchant-presented payment code carrying the NAPAS VietQR AID.
 * - `emvco`: another EMVCo payment code (starts with `000201`).
 * - `health-insurance`: a Vietnamese health-insurance (BHYT) card code.
 * - `url`: a web address.
 * - `empty`: nothing but whitespace / NUL.
 * - `unknown`: anything else.
 */
export type PayloadKind = 'cccd' | 'vietqr' | 'emvco' | 'health-insurance' | 'url' | 'empty' | 'unknown';

// NUL, BOM, whitespace at either end: scanners and some card batches pad the payload.
const EDGES = /^[\s\u0000\uFEFF]+|[\s\u0000\uFEFF]+$/g;
const URL_LIKE = /^(?:[a-z][a-z0-9+.-]{1,15}:\/\/|www\.)\S/i;
// NAPAS application identifier inside the EMVCo merchant account template.
const VIETQR_AID = 'A000000727';
// BHYT card number: 2 letters (object group), 1 digit (benefit level), 2 digits (province),
// 10 digits (social-insurance number); the newer form prints the 10-digit number alone.
const BHYT_CODE = /^[A-Z]{2}\d{13}$/;
const BHYT_SHORT = /^\d{10}$/;
const HEX = /^(?:[0-9a-f]{2})+$/i;
const ID12 = /^\d{12}$/;

/** Strip NUL, BOM and whitespace from both ends. @internal */
export function trimPayload(text: string): string {
  return text.replace(EDGES, '');
}

/**
 * Classify a decoded payload.
 *
 * @param text - The decoded text.
 * @returns The {@link PayloadKind}.
 */
export function detectPayloadKind(text: string): PayloadKind {
  if (typeof text !== 'string') return 'unknown';
  const t = trimPayload(text.length > 8192 ? text.slice(0, 8192) : text);
  if (t.length === 0) return 'empty';
  if (t.startsWith('000201')) return t.includes(VIETQR_AID) ? 'vietqr' : 'emvco';
  if (URL_LIKE.test(t)) return 'url';
  const bar = t.indexOf('|');
  const first = (bar < 0 ? t : t.slice(0, bar)).trim();
  if (bar >= 0 && ID12.test(first)) return 'cccd';
  if (bar >= 0 && BHYT_CODE.test(first)) return 'health-insurance';
  if (bar >= 0 && BHYT_SHORT.test(first)) {
    const second = t.slice(bar + 1).split('|', 1)[0] ?? '';
    if (HEX.test(second)) return 'health-insurance';
  }
  return 'unknown';
}
