import { type BenchTable, defineBench } from '@smart-citizen/bench';
import { IdCardReader } from '../src/IdCardReader.js';
import { benchCardSetHalf, benchDataSources, benchQrClock, cardSetArgs } from './cardSets.js';
import { CENSUS_FIELDS, type CensusRow, censusRows, MISS_CAUSES, OUTLINE_OFF_MM } from './censusRows.js';

export const bench = defineBench({
  name: 'idcard-census',
  pkg: 'idcard',
  description: `Miss census of the ID-card reader on a generated set: every target field (${CENSUS_FIELDS.join(', ')}) and MRZ missed, every outline more than ${OUTLINE_OFF_MM} mm off, typed wrong or not read, with a rough cause. It PRINTS THE TRUTH of each miss: for generated tuning sets only, never for a set held out for reporting`,
  async run(ctx) {
    // `pnpm bench idcard-census seed=15 count=12 levels=2 half=all` (half defaults to tune)
    const set = cardSetArgs(ctx, 'tune');
    const { levels, count, seed, half } = set;
    const sources = await benchDataSources();
    const qrClock = benchQrClock(ctx);
    const reader = await IdCardReader.create({ recognizer: 'builtin', ...(qrClock.qr ? { qr: qrClock.qr } : {}) });
    const rows: CensusRow[] = [];
    let photos = 0;
    try {
      for await (const s of benchCardSetHalf(set)) {
        photos++;
        const r = await reader.readSide(s.jpeg);
        const found = censusRows(s.name, s.truth, r);
        ctx.progress(`${s.name}: ${r.status}${found.length ? `, ${found.length} census rows` : ''}`);
        rows.push(...found);
      }
    } finally {
      await reader.close();
    }
    const missed = [...CENSUS_FIELDS, 'mrz', '–'].filter((f) => rows.some((r) => r.field === f));
    const summary: BenchTable = {
      title:
        'Misses per field and cause (a side lost whole counts once per field it prints; – : an outline off or typed wrong that missed nothing)',
      rows: missed.map((f) => ({
        missed: f,
        ...Object.fromEntries(MISS_CAUSES.map((c) => [c, rows.filter((r) => r.field === f && r.cause === c).length])),
      })),
    };
    const scope = `${half === 'all' ? 'both halves' : `${half} half`} of seed ${seed}, levels ${levels.join(', ')}, ${count} photos per type × side × level`;
    return {
      tables: [{ title: `Census (${scope})`, rows }, summary],
      data: { photos, seed, half, count, levels },
      notes: [`${photos} photos; ${new Set(rows.map((r) => r.photo)).size} with a census row`, sources, qrClock.note],
    };
  },
});
