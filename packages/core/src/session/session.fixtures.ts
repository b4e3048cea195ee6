// Made-up citizens and small, real verifiers used by the session tests (not exported by the package).
import { SmartCitizenError } from '../errors/index.js';
import type { CitizenIdentity } from '../identity/index.js';
import { parseDate, parseSex } from '../rules/index.js';
import type { StoredIdentity } from '../store/IdentityStore.js';
import type { DocumentReading, EvidenceVerifiers } from './decideFromRawEvidence.js';

export const citizenA: StoredIdentity = {
  idNumber: '001099012345',
  oldIdNumber: '013456789',
  fullName: 'Nguyễn Văn Thử',
  dateOfBirth: { year: 1999, month: 3, day: 7 },
  sex: 'M',
  nationality: 'Việt Nam',
  placeOfOrigin: 'Xã Thử Nghiệm, Huyện Mẫu, Hà Nội',
  placeOfResidence: 'Số 1 Phố Thử, Phường Ba Đình, Hà Nội',
  issueDate: { year: 2021, month: 5, day: 10 },
  expiryDate: { year: 2039, month: 3, day: 7 },
};
export const citizenB: StoredIdentity = {
  idNumber: '079185000111',
  oldIdNumber: '023456780',
  fullName: 'Trần Thị Mẫu',
  dateOfBirth: { year: 1985, month: 11, day: 2 },
  sex: 'F',
};
export const citizenC: StoredIdentity = {
  idNumber: '048203004567',
  oldIdNumber: '023456780',
  fullName: 'Lê Hoàng Ví Dụ',
  dateOfBirth: { year: 2003, month: 12, day: 24 },
  sex: 'M',
};

const two = (n: number | undefined) => String(n ?? 1).padStart(2, '0');
const ddmmyyyy = (d: CitizenIdentity['dateOfBirth']) => (d ? `${two(d.day)}${two(d.month)}${d.year}` : '');

/** A CCCD QR payload: `id|oldId|name|ddmmyyyy|sex|address|issue ddmmyyyy`. */
export function qrPayloadOf(c: CitizenIdentity): string {
  return [
    c.idNumber,
    c.oldIdNumber ?? '',
    c.fullName,
    ddmmyyyy(c.dateOfBirth),
    c.sex === 'F' ? 'Nữ' : 'Nam',
    c.placeOfResidence ?? '',
    ddmmyyyy(c.issueDate),
  ].join('|');
}

/** A small, strict reader of the CCCD QR payload layout above. */
export function readQrPayload(text: string): DocumentReading {
  const parts = text.split('|');
  if (parts.length !== 7 || !/^\d{12}$/.test(parts[0] ?? '')) {
    throw new SmartCitizenError('qr/not-a-card-payload', 'not a CCCD payload');
  }
  const [idNumber, old, fullName, dob, sex, address, issued] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const s = parseSex(sex);
  const fields: Partial<CitizenIdentity> = {
    idNumber,
    ...(old ? { oldIdNumber: old } : {}),
    fullName,
    dateOfBirth: parseDate(dob, 'ddmmyyyy'),
    ...(s ? { sex: s } : {}),
    ...(address ? { placeOfResidence: address } : {}),
    ...(issued ? { issueDate: parseDate(issued, 'ddmmyyyy') } : {}),
  };
  return { fields, confidence: 1, issues: [] };
}

/** A 16×16 grey "face" image: a person-specific pattern plus capture noise. */
export function faceImage(person: number, capture: number, flat = false): Uint8Array {
  const img = new Uint8Array(256);
  let s = (person * 7919 + 13) >>> 0;
  let n = (capture * 104729 + 7) >>> 0;
  for (let i = 0; i < 256; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    n = (n * 1664525 + 1013904223) >>> 0;
    const base = flat ? 128 : (s >>> 24) & 0xff;
    img[i] = Math.max(0, Math.min(255, base + (((n >>> 24) & 0x1f) - 16)));
  }
  return img;
}

/** Embedding of a {@link faceImage}: the 16 block means, centred. */
export function embedFace(image: Uint8Array): Float32Array | undefined {
  if (image.length !== 256) return undefined;
  const v = new Float32Array(16);
  let mean = 0;
  for (let b = 0; b < 16; b++) {
    let sum = 0;
    for (let i = 0; i < 16; i++) sum += image[b * 16 + i] as number;
    v[b] = sum / 16;
    mean += (v[b] as number) / 16;
  }
  let energy = 0;
  for (let b = 0; b < 16; b++) {
    v[b] = (v[b] as number) - mean;
    energy += (v[b] as number) ** 2;
  }
  return energy < 1 ? undefined : v;
}

export interface CountingVerifiers extends EvidenceVerifiers {
  calls: { qr: number; embed: number; liveness: number; fingerprint: number };
}

/** Verifiers over the helpers above, counting calls so tests can prove what was (not) processed. */
export function makeVerifiers(): CountingVerifiers {
  const calls = { qr: 0, embed: 0, liveness: 0, fingerprint: 0 };
  return {
    calls,
    qr: (text) => {
      calls.qr++;
      return readQrPayload(text);
    },
    face: {
      threshold: 0.8,
      embed: async (img) => {
        calls.embed++;
        return embedFace(img);
      },
    },
    // Pixel variance: a flat print-like image is not live.
    liveness: async (img) => {
      calls.liveness++;
      let m = 0;
      for (const x of img) m += x / img.length;
      let v = 0;
      for (const x of img) v += (x - m) ** 2 / img.length;
      const score = Math.min(1, v / 2000);
      return { live: score > 0.5, score };
    },
    fingerprint: {
      threshold: 0.8,
      match: async (probe, enrolled) => {
        calls.fingerprint++;
        const n = Math.min(probe.length, enrolled.length);
        let same = 0;
        for (let i = 0; i < n; i++) if (probe[i] === enrolled[i]) same++;
        return n === 0 ? 0 : same / Math.max(probe.length, enrolled.length);
      },
    },
  };
}
