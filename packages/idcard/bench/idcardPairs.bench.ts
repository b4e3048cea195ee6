import { loadavg } from 'node:os';
import { type BenchTable, defineBench, percentile } from '@smart-citizen/bench';
import { evaluationHalf } from '@smart-citizen/qr/testing';
import type { CardFieldName, CardType } from '../src/cardTypes.js';
import { IdCardReader, type SideResult } from '../src/IdCardReader.js';
import type { CardPhotoTruth } from '../src/testing/index.js';
import { benchCardPairSet, benchDataSources, benchQrClock } from './cardSets.js';
import { cpuMs, type FieldTally, mrzRight, pct, tallyField } from './fieldTally.js';

type Mode = 'side' | 'card';
type Half = 'tune' | 'report';

export const bench = defineBench({
  name: 'idcard-pairs',
  pkg: 'idcard',
  description:
    'ID-card reader on generated front/back pairs (the same card, each side photographed on its own): per-field exact % per side read alone and per card read front+back with the fusion, on the tuning and report halves; MRZ; QR; CPU per side and per card',
  async run(ctx) {
    // `pnpm bench idcard-pairs count=24 levels=2`: pairs per card type and level
    const arg = (k: string) => ctx.args.find((a) => a.startsWith(`${k}=`))?.slice(k.length + 1);
    const levels = (arg('levels') ?? '2').split(',').map(Number);
    const count = Number(arg('count') ?? (ctx.quick ? 2 : 24));
    // `types=cccd-2021,cancuoc-2024`: only the cards with an MRZ or a QR
    const types = arg('types')?.split(',') as CardType[] | undefined;
    const model = process.env.IDCARD_CTC_MODEL;
    const sources = await benchDataSources();
    const qrClock = benchQrClock(ctx);
    const reader = await IdCardReader.create({
      recognizer: 'builtin',
      ...(qrClock.qr ? { qr: qrClock.qr } : {}),
      lineRecognizer: model ? { ctc: { model } } : {},
    });
    const fields = new Map<string, FieldTally>();
    const mrz = new Map<string, { n: number; right: number }>();
    const cpu = new Map<string, number[]>();
    const loads: number[] = [];
    const kinds = new Map<string, number>();
    const qr = new Map<string, { n: number; read: number }>();
    /** CCCD 2016 backs: PDF417 decoded (side alone), and the card read's check of its number against the front's. */
    const barcode = new Map<string, { n: number; decoded: number; agrees: number; disagrees: number }>();
    let pairs = 0;
    const tally = (key: string, truth: string, got: string | undefined, conf = 0) =>
      tallyField(fields, key, truth, got, conf);
    const push = <K>(m: Map<K, number[]>, k: K, v: number) => m.set(k, [...(m.get(k) ?? []), v]);
    const count1 = (k: string) => kinds.set(k, (kinds.get(k) ?? 0) + 1);
    /** Score the fields printed on one side against what a read gave for that side. */
    const score = (mode: Mode, half: Half, level: number, truth: CardPhotoTruth, r: SideResult | undefined) => {
      // an unread side of a card whose other side was read carries the fields the card's MRZ or QR give
      const right = r?.documentType === truth.type && r.side === truth.side;
      for (const [name, want] of Object.entries(truth.fields)) {
        const got = right ? r.fields?.[name as CardFieldName] : undefined;
        for (const lv of [String(level), 'all']) {
          tally(`${mode}|${half}|${lv}|${name}`, want, got?.value, got?.confidence);
          tally(`${mode}|${half}|${lv}|${name}|${truth.type}`, want, got?.value, got?.confidence);
        }
      }
      if (truth.qrText && mode === 'side') {
        for (const lv of [String(level), 'all']) {
          const q = qr.get(`${half}|${lv}`) ?? { n: 0, read: 0 };
          qr.set(`${half}|${lv}`, q);
          q.n++;
          if (r?.status === 'read' && !r.issues.some((i) => i.code === 'idcard/qr-unreadable')) q.read++;
        }
      }
      if (truth.mrz) {
        for (const lv of [String(level), 'all']) {
          const m = mrz.get(`${mode}|${half}|${lv}`) ?? { n: 0, right: 0 };
          mrz.set(`${mode}|${half}|${lv}`, m);
          m.n++;
          if (mrzRight(r, truth)) m.right++;
        }
      }
    };
    try {
      for await (const p of benchCardPairSet(count, levels, types)) {
        // one card, one half: both photos of a pair fall in the half of the pair's name
        const half: Half = evaluationHalf(p.name) === 'report' ? 'report' : 'tune';
        pairs++;
        // each side read alone (no other side to check it against)
        for (const s of [p.front, p.back]) {
          const c0 = process.cpuUsage();
          const r = await reader.readSide(s.jpeg);
          push(cpu, `side|${half}|${p.level}`, cpuMs(c0));
          score('side', half, p.level, s.truth, r);
        }
        // the card: front and back together, every source cross-checked
        const c0 = process.cpuUsage();
        const r = await reader.read({ front: p.front.jpeg, back: p.back.jpeg });
        push(cpu, `card|${half}|${p.level}`, cpuMs(c0));
        loads.push(loadavg()[0] ?? 0);
        score('card', half, p.level, p.front.truth, r.front);
        score('card', half, p.level, p.back.truth, r.back);
        for (const s of [r.front, r.back])
          if (s?.status === 'read') for (const i of s.issues) if (i.code.startsWith('idcard/fused')) count1(i.code);
        if (p.back.truth.type === 'cccd-2016')
          for (const lv of [String(p.level), 'all']) {
            const b = barcode.get(`${half}|${lv}`) ?? { n: 0, decoded: 0, agrees: 0, disagrees: 0 };
            barcode.set(`${half}|${lv}`, b);
            b.n++;
            const codes = r.back?.status === 'read' ? r.back.issues.map((i) => i.code) : [];
            if (r.back?.status === 'read' && r.back.barcode) b.decoded++;
            if (codes.includes('idcard/barcode-agrees')) b.agrees++;
            if (codes.includes('idcard/barcode-disagrees')) b.disagrees++;
          }
        ctx.progress(`${p.name}: ${r.front?.status} / ${r.back?.status}`);
      }
    } finally {
      await reader.close();
    }
    const fieldNames = [
      ...new Set([...fields.keys()].filter((k) => k.split('|').length === 4).map((k) => k.split('|')[3] as string)),
    ].sort();
    const row = (key: string) => {
      const f = fields.get(key);
      return f
        ? {
            n: f.n,
            exact: pct(f.exact, f.n),
            cer: Number(((100 * f.edits) / Math.max(1, f.chars)).toFixed(1)),
            cw: f.confidentWrong,
          }
        : undefined;
    };
    const levelKeys = [...levels.map(String), ...(levels.length > 1 ? ['all'] : [])];
    const fieldTable: BenchTable = {
      title:
        'Exact % per field: each side read alone (readSide) vs the card read front + back (read), tuning and report halves; n = fields in the report half; confident wrong = wrong with confidence ≥ 0.6 (report half)',
      rows: levelKeys.flatMap((level) =>
        fieldNames.flatMap((field) => {
          const sT = row(`side|tune|${level}|${field}`);
          const cT = row(`card|tune|${level}|${field}`);
          const sR = row(`side|report|${level}|${field}`);
          const cR = row(`card|report|${level}|${field}`);
          if (!sR && !sT) return [];
          return [
            {
              level,
              field,
              'n (report)': sR?.n ?? 0,
              'tune: side %': sT?.exact ?? null,
              'tune: card %': cT?.exact ?? null,
              'report: side %': sR?.exact ?? null,
              'report: card %': cR?.exact ?? null,
              'report CER side / card %': `${sR?.cer ?? '—'} / ${cR?.cer ?? '—'}`,
              'report confident wrong side / card': `${sR?.cw ?? '—'} / ${cR?.cw ?? '—'}`,
            },
          ];
        }),
      ),
    };
    const typeTable: BenchTable = {
      title: `Report half, card read front + back: exact % per card type (levels ${levels.join(', ')})`,
      rows: ['idNumber', 'dateOfBirth', 'fullName', 'sex', 'expiryDate', 'placeOfOrigin', 'placeOfResidence'].flatMap(
        (field) => {
          const out: Record<string, string | number | null> = { field };
          let any = false;
          for (const type of ['cmnd-9', 'cmnd-12', 'cccd-2016', 'cccd-2021', 'cancuoc-2024']) {
            const s = row(`side|report|${levelKeys.at(-1)}|${field}|${type}`);
            const c = row(`card|report|${levelKeys.at(-1)}|${field}|${type}`);
            out[type] = c ? `${s?.exact} → ${c.exact} (n ${c.n})` : '—';
            any ||= !!c;
          }
          return any ? [out] : [];
        },
      ),
    };
    /** One row per level and half. */
    const halfRows = (row: (level: string, half: Half) => BenchTable['rows'][number]) =>
      levelKeys.flatMap((level) => (['tune', 'report'] as const).map((half) => row(level, half)));
    const mrzTable: BenchTable = {
      title: 'MRZ fully valid and equal to the printed one (CCCD 2021 and Căn cước 2024 backs)',
      rows: halfRows((level, half) => {
        const s = mrz.get(`side|${half}|${level}`);
        const c = mrz.get(`card|${half}|${level}`);
        return {
          level,
          half,
          backs: s?.n ?? 0,
          'back read alone %': s ? pct(s.right, s.n) : null,
          'card read front + back %': c ? pct(c.right, c.n) : null,
        };
      }),
    };
    const qrTable: BenchTable = {
      title:
        'QR code read from its zone of the rectified card (CCCD 2021 fronts, Căn cước 2024 backs), sides read alone',
      rows: halfRows((level, half) => {
        const q = qr.get(`${half}|${level}`);
        return { level, half, sides: q?.n ?? 0, 'read %': q ? pct(q.read, q.n) : null };
      }),
    };
    const barcodeTable: BenchTable = {
      title:
        "CCCD 2016 backs, card read front + back: PDF417 decoded from its zone, and its 12-digit number against the front's (agrees / disagrees; neither = no number read on one of them)",
      rows: halfRows((level, half) => {
        const b = barcode.get(`${half}|${level}`);
        return {
          level,
          half,
          cards: b?.n ?? 0,
          'decoded %': b ? pct(b.decoded, b.n) : null,
          'agrees %': b ? pct(b.agrees, b.n) : null,
          'disagrees %': b ? pct(b.disagrees, b.n) : null,
        };
      }),
    };
    const cpuTable: BenchTable = {
      title: 'CPU ms (process CPU, all threads): per side read alone and per card (front + back together)',
      rows: levels.flatMap((level) =>
        (['side', 'card'] as const).map((mode) => {
          const xs = [...(cpu.get(`${mode}|tune|${level}`) ?? []), ...(cpu.get(`${mode}|report|${level}`) ?? [])];
          return {
            level,
            per: mode,
            reads: xs.length,
            median: xs.length ? Math.round(percentile(xs, 50)) : null,
            p90: xs.length ? Math.round(percentile(xs, 90)) : null,
          };
        }),
      ),
    };
    const load = loads.length ? `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}` : '—';
    return {
      tables: [fieldTable, typeTable, mrzTable, qrTable, barcodeTable, cpuTable],
      data: {
        loadAverage: loads.length ? { min: Math.min(...loads), max: Math.max(...loads) } : null,
        pairs,
        count,
        levels,
        model: model ?? 'shipped',
        fusion: Object.fromEntries(kinds),
      },
      notes: [
        `${pairs} pairs (seed 3, ${count} per card type and level${types ? `, types ${types.join(', ')}` : ''}), split into halves by a seeded hash of the pair's name; load average (1 min) during the run: ${load} on 2 cores — CPU time, not wall time`,
        `fusion issues raised on card reads: ${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}`,
        sources,
        qrClock.note,
      ],
    };
  },
});
