import { normalizeVietnamese } from '@smart-citizen/core';
import { foldFast } from './unitKey.js';

/** A one-line address split into its parts; absent parts were not in the text. */
export interface AddressParts {
  /** Số nhà and any ngõ / ngách / hẻm before the street, e.g. `Số 12`, `12A/3`. */
  houseNumber?: string;
  /** Đường / phố, e.g. `Đường Lê Lợi`. */
  street?: string;
  /** Thôn / ấp / xóm / bản / tổ / khu phố. */
  hamlet?: string;
  /** Xã / phường / thị trấn / đặc khu. */
  ward?: string;
  /** Quận / huyện / thị xã / thành phố thuộc tỉnh (pre-2025 addresses only). */
  district?: string;
  /** Tỉnh / thành phố trực thuộc trung ương. */
  province?: string;
}

// Tone marks placed the "new" way (hoà, khoẻ, thuý): only then is the (costly) full
// Vietnamese normalisation needed to bring the text to the form cards print.
const NEW_STYLE_TONE = /[oO][àáảãạ]|[oO][èéẻẽẹ]|[uU][ỳýỷỹỵ]/;
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

function tidy(s: string): string {
  const t = s
    .normalize('NFC')
    .replace(/[\r\n]+/g, ',')
    .replace(CONTROL, ' ')
    .replace(/[ \t\u00a0]+/g, ' ');
  return NEW_STYLE_TONE.test(t) ? normalizeVietnamese(t) : t.replace(/ *([,;\n]) */g, '$1').trim();
}

/** Longest accepted address; longer input is cut here before splitting (no real address is longer). */
export const MAX_ADDRESS_LENGTH = 500;

const WARD = /^(phuong|xa|thi tran|dac khu|p|x|tt)([ .]|\d)/;
const DISTRICT = /^(quan|huyen|thi xa|thanh pho|tp|tx|q|h)([ .]|\d)/;
const HAMLET =
  /^(thon|ap|xom|ban|to dan pho|to|khu pho|kp|khu|khom|buon|lang|cum|doi|khu dan cu|khu tap the|ktt|khu do thi|kdt)([ .]|\d)/;
const HOUSE = /^(?:(so nha|so|sn|nha so)\s*)?(\d+[a-z]?(?:[/-]\d+[a-z]?)*)(?:\s+(.*))?$/i;

/**
 * Split a one-line Vietnamese address (`Số 12 đường Lê Lợi, Phường Bến Nghé, Quận 1, TP. Hồ
 * Chí Minh`) into house number, street, hamlet, ward, district and province. The text of each
 * part is kept as written (normalised spacing and tone marks); nothing is guessed beyond the
 * position and prefix of each comma-separated segment.
 *
 * @param line - The address on one line; commas (or semicolons, new lines) separate the units.
 * @returns The parts found.
 * @example splitAddress('Thôn 3, Xã Tân Phú, Huyện Đồng Phú, Tỉnh Bình Phước')
 * // { hamlet: 'Thôn 3', ward: 'Xã Tân Phú', district: 'Huyện Đồng Phú', province: 'Tỉnh Bình Phước' }
 */
export function splitAddress(line: string): AddressParts {
  const text = tidy(String(line).slice(0, MAX_ADDRESS_LENGTH));
  const segments = text
    .split(/[,;\n]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const parts: AddressParts = {};
  if (segments.length === 0) return parts;
  const key = (s: string) => foldFast(s.toLowerCase());

  let end = segments.length;
  // The last segment is the province (an unprefixed name counts).
  const last = segments[end - 1]!;
  if (segments.length >= 2 || !WARD.test(key(last))) {
    parts.province = last;
    end -= 1;
  }
  // Then the district, when its prefix says so, or when a ward-like segment still precedes it
  // in a 4+-segment address with no prefixes at all.
  if (end > 0) {
    const s = segments[end - 1]!;
    const k = key(s);
    if (DISTRICT.test(k) && !WARD.test(k)) {
      parts.district = s;
      end -= 1;
    } else if (!WARD.test(k) && !HAMLET.test(k) && end >= 3 && !HOUSE.test(k)) {
      parts.district = s;
      end -= 1;
    }
  }
  if (end > 0) {
    const s = segments[end - 1]!;
    const k = key(s);
    if (WARD.test(k) || (!HAMLET.test(k) && !HOUSE.test(k) && end >= 2)) {
      parts.ward = s;
      end -= 1;
    }
  }
  const rest = segments.slice(0, end);
  const hamlets: string[] = [];
  const streets: string[] = [];
  for (const s of rest) {
    if (HAMLET.test(key(s))) hamlets.push(s);
    else streets.push(s);
  }
  if (hamlets.length > 0) parts.hamlet = hamlets.join(', ');
  if (streets.length > 0) {
    const first = streets[0]!;
    const folded = key(first);
    // Positions line up: the text is NFC and folding removes only combining marks.
    const m = folded.length === first.length ? HOUSE.exec(folded) : null;
    if (m) {
      const restLength = m[3]?.length ?? 0;
      parts.houseNumber = first.slice(0, first.length - restLength).trim();
      const streetRest = [restLength > 0 ? first.slice(first.length - restLength) : '', ...streets.slice(1)].filter(
        (x) => x.length > 0,
      );
      if (streetRest.length > 0) parts.street = streetRest.join(', ');
    } else {
      parts.street = streets.join(', ');
    }
  }
  return parts;
}

/**
 * Join address parts back into one line, most specific first.
 * @param parts - The parts.
 * @returns `houseNumber street, hamlet, ward, district, province` without empty parts.
 */
export function formatAddressLine(parts: AddressParts): string {
  const head = [parts.houseNumber, parts.street].filter((x) => !!x).join(' ');
  return [head, parts.hamlet, parts.ward, parts.district, parts.province].filter((x) => !!x && x.length > 0).join(', ');
}
