import {
  type CitizenIdentity,
  type PartialDate,
  formatDate,
  formatSex,
  isValidPartialDate,
  normalizeVietnamese,
  parseSex,
  safeParseDate,
  toNameCase,
  toUpperVietnamese,
} from '@smart-citizen/core';
import type { AddressNormalization, AddressNormalizer } from '../address/AddressNormalizer.js';
import { formatAddressLine, splitAddress } from '../address/splitAddress.js';
import type { AddressValue, FieldTransform } from '../FormDefinition.js';
import { type FormIssue, formIssue } from '../FormIssue.js';
import { numberToVietnameseWords } from '../numberToWords.js';

/** What the transforms need besides the value. @internal */
export interface TransformContext {
  path: string;
  normalizer: AddressNormalizer | undefined;
  issues: FormIssue[];
  addresses: Record<string, AddressNormalization>;
}

const CARD_NAMES: Record<string, string> = {
  cmnd: 'Chứng minh nhân dân',
  'cccd-2016': 'Căn cước công dân',
  'cccd-chip-2021': 'Căn cước công dân',
  'can-cuoc-2024': 'Căn cước',
};

function asDate(v: unknown): PartialDate | undefined {
  if (typeof v === 'string') {
    const r = safeParseDate(v, 'auto');
    return r.ok ? r.value : undefined;
  }
  if (v !== null && typeof v === 'object' && isValidPartialDate(v as PartialDate)) return v as PartialDate;
  return undefined;
}

function toAddress(v: unknown, ctx: TransformContext): AddressValue | undefined {
  let line: string | undefined;
  if (typeof v === 'string') line = v;
  else if (v !== null && typeof v === 'object') {
    const given = v as Partial<AddressValue>;
    const hasParts = ['houseNumber', 'street', 'hamlet', 'ward', 'district', 'province'].some(
      (k) => typeof (given as Record<string, unknown>)[k] === 'string',
    );
    if (hasParts) {
      const parts: AddressValue = { line: '' };
      for (const k of ['houseNumber', 'street', 'hamlet', 'ward', 'district', 'province'] as const) {
        const s = given[k];
        if (typeof s === 'string' && s.trim()) parts[k] = normalizeVietnamese(s);
      }
      line = formatAddressLine(parts);
    } else if (typeof given.line === 'string') line = given.line;
  }
  if (line === undefined || !line.trim()) return undefined;
  const input = splitAddress(line);
  const inputLine = formatAddressLine(input);
  const n = ctx.normalizer?.normalize(input);
  if (n) ctx.addresses[ctx.path] = n;
  if (n && (n.status === 'mapped' || n.status === 'current') && n.current) {
    const out: AddressValue = { line: n.currentLine ?? inputLine, ...n.current };
    if (n.status === 'mapped') {
      const previous: NonNullable<AddressValue['previous']> = { line: inputLine };
      if (input.ward) previous.ward = input.ward;
      if (input.district) previous.district = input.district;
      if (input.province) previous.province = input.province;
      out.previous = previous;
      ctx.issues.push(
        formIssue(
          'forms/address-updated',
          'info',
          {
            en: 'the address was moved to the administrative units in force since 1 July 2025; the old address is kept under previous',
            vi: 'Địa chỉ đã được chuyển sang đơn vị hành chính hiện hành (từ 01/7/2025); địa chỉ cũ được giữ lại.',
          },
          ctx.path,
        ),
      );
    }
    return out;
  }
  if (n?.status === 'ambiguous') {
    ctx.issues.push(
      formIssue(
        'forms/address-ambiguous',
        'warning',
        {
          en: `the old ward was split between ${n.candidates.length} current wards: choose the current ward`,
          vi: `Xã/phường cũ đã được chia cho ${n.candidates.length} xã/phường mới: vui lòng chọn xã/phường hiện hành.`,
        },
        ctx.path,
      ),
    );
  } else if (ctx.normalizer) {
    ctx.issues.push(
      formIssue(
        'forms/address-not-normalised',
        'warning',
        {
          en: 'the address could not be placed in the current administrative units; it is kept as written',
          vi: 'Không xác định được đơn vị hành chính hiện hành của địa chỉ; địa chỉ được giữ nguyên như đã ghi.',
        },
        ctx.path,
      ),
    );
  }
  return { line: inputLine, ...input };
}

function identityDocument(identity: CitizenIdentity): string | undefined {
  const number = identity.idNumber ?? identity.oldIdNumber;
  if (!number) return undefined;
  // The card's name only when the card type is known; otherwise the number is named for what
  // it is, not guessed into a card.
  const kind = CARD_NAMES[identity.cardType ?? ''];
  let s = kind ? `${kind} số ${number}` : identity.idNumber ? `Số định danh cá nhân ${number}` : `Số CMND ${number}`;
  if (kind && identity.issueDate && isValidPartialDate(identity.issueDate))
    s += `, cấp ngày ${formatDate(identity.issueDate)}`;
  if (kind && identity.issuingAuthority) s += `, nơi cấp: ${normalizeVietnamese(identity.issuingAuthority)}`;
  return s;
}

/**
 * Apply transforms in order. Returns undefined when the value cannot be transformed (a date
 * that is not a date): the field is then left empty rather than filled with a guess.
 * @internal
 */
export function applyTransforms(value: unknown, transforms: readonly FieldTransform[], ctx: TransformContext): unknown {
  let v: unknown = value;
  for (const t of transforms) {
    if (v === undefined) return undefined;
    switch (t) {
      case 'upper':
        v = typeof v === 'string' ? toUpperVietnamese(v) : v;
        break;
      case 'name-case':
        v = typeof v === 'string' ? toNameCase(v) : v;
        break;
      case 'normalize':
        v = typeof v === 'string' ? normalizeVietnamese(v) : v;
        break;
      case 'date':
      case 'date-words':
      case 'year': {
        const d = asDate(v);
        if (!d) {
          // An answer that is not a date is kept as written so validation can say so.
          v = typeof v === 'string' ? v : undefined;
          break;
        }
        v =
          t === 'date'
            ? formatDate(d, 'dd/mm/yyyy')
            : t === 'year'
              ? formatDate({ year: d.year })
              : formatDate(d, 'words-vi');
        break;
      }
      case 'sex': {
        const s = v === 'M' || v === 'F' ? v : typeof v === 'string' ? parseSex(v) : undefined;
        v = s ? formatSex(s, 'vi') : v;
        break;
      }
      case 'address':
        v = toAddress(v, ctx);
        break;
      case 'address-line': {
        const a = toAddress(v, ctx);
        v = a?.line;
        break;
      }
      case 'identity-document':
        v = v !== null && typeof v === 'object' ? identityDocument(v as CitizenIdentity) : undefined;
        break;
      case 'card-type':
        v = typeof v === 'string' ? CARD_NAMES[v] : undefined;
        break;
      case 'number-words': {
        const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,16}$/.test(v) ? Number(v) : Number.NaN;
        if (!Number.isSafeInteger(n) || n < 0) {
          v = undefined;
          break;
        }
        const words = numberToVietnameseWords(n);
        v = `${words.charAt(0).toUpperCase()}${words.slice(1)} đồng`;
        break;
      }
    }
  }
  return v;
}
