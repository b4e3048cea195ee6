import { type CitizenIdentity, type Issue, issue, safeParseDate, parseSex } from '@smart-citizen/core';
import { TAG, decodeSmallInt } from './asn1.js';
import { dg13Fields } from './data/dg13Fields.js';
import { fileContent } from './dataGroups.js';
import { type TlvNode, parseTlvTree } from './tlv.js';

/** One entry of DG13 as stored: its id and every text it holds (entry 13 holds two: father, mother). */
export interface Dg13Entry {
  id: number;
  texts: string[];
}

/** DG13 read into identity fields, the raw entries, and issues for what did not fit. */
export interface Dg13Result {
  identity: CitizenIdentity;
  entries: Dg13Entry[];
  issues: Issue[];
}

const decoder = new TextDecoder('utf-8', { fatal: false });

function texts(node: TlvNode): string[] {
  if (node.tag === TAG.UTF8_STRING || node.tag === TAG.PRINTABLE_STRING || node.tag === 0x16 || node.tag === 0x1e) {
    return [decoder.decode(node.value).normalize('NFC').trim()];
  }
  return (node.children ?? []).flatMap(texts);
}

/** Every `SEQUENCE { INTEGER id, … }` under `nodes`, depth-first, not descending into a matched entry. */
function collectEntries(nodes: TlvNode[], out: Dg13Entry[]): void {
  for (const n of nodes) {
    if (n.tag !== TAG.SEQUENCE || !n.children) continue;
    const first = n.children[0];
    // A container (e.g. an outer SEQUENCE opening with a version INTEGER) holds entries; an entry holds only texts.
    const holdsEntries = n.children
      .slice(1)
      .some((c) => c.tag === TAG.SEQUENCE && c.children?.[0]?.tag === TAG.INTEGER);
    if (first && first.tag === TAG.INTEGER && first.value.length >= 1 && first.value.length <= 2 && !holdsEntries) {
      out.push({ id: decodeSmallInt(first.value), texts: n.children.slice(1).flatMap(texts) });
    } else collectEntries(n.children, out);
  }
}

/**
 * Parse DG13 of the CCCD / Căn cước (tag 6D): a sequence of `SEQUENCE { INTEGER id, PrintableString | UTF8String }`
 * entries, id 13 nesting the parents' names. Entries are read by id, never by position;
 * absent ids leave their field unset and unknown ids stay in `entries` with an info issue.
 * @throws ChipError `chip/bad-tlv` / `chip/bad-data` when the file is not TLV or not tag 6D
 */
export function parseDg13(bytes: Uint8Array): Dg13Result {
  const v = fileContent(bytes, 0x6d, 'DG13').value;
  const entries: Dg13Entry[] = [];
  collectEntries(parseTlvTree(v), entries);
  const identity: CitizenIdentity = {};
  const issues: Issue[] = [];
  const seen = new Set<number>();
  for (const e of entries) {
    const spec = dg13Fields[e.id];
    if (!spec) {
      issues.push(issue('chip/dg13-unknown-id', 'info', `DG13 entry ${e.id} is not a known field`));
      continue;
    }
    if (seen.has(e.id))
      issues.push(
        issue('chip/dg13-duplicate-id', 'warning', `DG13 entry ${e.id} appears more than once; the last wins`),
      );
    seen.add(e.id);
    const text = e.texts[0] ?? '';
    const path = spec.field;
    if (spec.kind === 'parents') {
      const [father, mother] = e.texts;
      if (father) identity.fatherName = father;
      if (mother) identity.motherName = mother;
      continue;
    }
    if (text === '') continue;
    switch (spec.kind) {
      case 'text':
        (identity as Record<string, unknown>)[path] = text;
        break;
      case 'id-number':
        if (/^(\d{9}|\d{12})$/.test(text)) (identity as Record<string, unknown>)[path] = text;
        else if (e.id === 1)
          issues.push(issue('chip/dg13-bad-id-number', 'error', 'DG13 ID number is not 12 digits', path));
        break;
      case 'date': {
        if (path === 'expiryDate' && /^kh[oô]ng th[oờ]i h[aạ]n$/i.test(text)) {
          identity.noExpiry = true;
          break;
        }
        const d = safeParseDate(text, 'auto');
        if (d.ok) (identity as Record<string, unknown>)[path] = d.value;
        else issues.push(issue('chip/dg13-bad-date', 'error', `DG13 entry ${e.id} is not a date`, path));
        break;
      }
      case 'sex': {
        const s = parseSex(text);
        if (s) identity.sex = s;
        else issues.push(issue('chip/dg13-bad-sex', 'error', 'DG13 sex is neither Nam nor Nữ', path));
        break;
      }
    }
  }
  if (!seen.has(1))
    issues.push(issue('chip/dg13-no-id-number', 'error', 'DG13 has no ID number (entry 1)', 'idNumber'));
  return { identity, entries, issues };
}
