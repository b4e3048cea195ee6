const DIGITS = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'];
const GROUPS = ['', ' nghìn', ' triệu', ' tỷ', ' nghìn tỷ', ' triệu tỷ'];

function readTriple(n: number, full: boolean): string {
  const h = Math.floor(n / 100);
  const t = Math.floor((n % 100) / 10);
  const u = n % 10;
  const out: string[] = [];
  if (full || h > 0) out.push(`${DIGITS[h]} trăm`);
  if (t === 0) {
    if (u > 0 && (full || h > 0)) out.push('linh');
  } else if (t === 1) out.push('mười');
  else out.push(`${DIGITS[t]} mươi`);
  if (u > 0) {
    if (u === 1 && t > 1) out.push('mốt');
    else if (u === 5 && t > 0) out.push('lăm');
    else if (u === 4 && t > 1) out.push('tư');
    else out.push(DIGITS[u]!);
  }
  return out.join(' ');
}

/**
 * Read a whole number in Vietnamese words (`1500000` → `một triệu năm trăm nghìn`), the way
 * amounts are written "bằng chữ" on forms.
 *
 * @param n - A safe integer, 0 to 10^18 - 1.
 * @returns The words, lower case.
 * @throws RangeError for a negative, fractional or too large number.
 * @example numberToVietnameseWords(105000000) // 'một trăm linh năm triệu'
 */
export function numberToVietnameseWords(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0)
    throw new RangeError('numberToVietnameseWords expects a non-negative safe integer');
  if (n === 0) return DIGITS[0]!;
  const groups: number[] = [];
  let rest = n;
  while (rest > 0) {
    groups.push(rest % 1000);
    rest = Math.floor(rest / 1000);
  }
  const words: string[] = [];
  for (let i = groups.length - 1; i >= 0; i--) {
    const g = groups[i]!;
    if (g === 0) continue;
    const full = i < groups.length - 1;
    words.push(`${readTriple(g, full)}${GROUPS[i]}`);
  }
  return words.join(' ');
}
