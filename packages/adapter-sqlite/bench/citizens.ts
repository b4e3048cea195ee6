import { measureOps } from '@smart-citizen/bench';
import { type StoredIdentity, createRng } from '@smart-citizen/core';

// Made-up citizens for benchmarks: unique 12-digit numbers (serial = index), names from common syllables.
const provinces = ['001', '079', '048', '031', '092', '036', '027', '038'];
const family = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ'];
const middle = ['Văn', 'Thị', 'Hữu', 'Minh', 'Ngọc', 'Thanh', 'Đức', 'Thu'];
const given = [
  'An',
  'Bình',
  'Chi',
  'Dũng',
  'Giang',
  'Hà',
  'Hùng',
  'Lan',
  'Long',
  'Mai',
  'Nam',
  'Phương',
  'Quân',
  'Trang',
];

/** The i-th made-up citizen (i < 10^6 × 8 gives unique numbers). */
export function benchCitizen(i: number): StoredIdentity {
  const female = i % 2 === 1;
  const year = 1940 + (i % 80);
  const century = year >= 2000 ? (female ? 3 : 2) : female ? 1 : 0;
  const serial = String(i % 1_000_000).padStart(6, '0');
  const province = provinces[Math.floor(i / 1_000_000) % provinces.length] as string;
  return {
    idNumber: `${province}${century}${String(year % 100).padStart(2, '0')}${serial}`,
    ...(i % 3 === 0 ? { oldIdNumber: String(100_000_000 + i).slice(-9) } : {}),
    fullName: `${family[i % family.length]} ${female ? 'Thị' : middle[i % middle.length]} ${given[(i * 7) % given.length]}`,
    dateOfBirth: { year, month: 1 + (i % 12), day: 1 + (i % 28) },
    sex: female ? 'F' : 'M',
    nationality: 'Việt Nam',
    placeOfResidence: `Số ${1 + (i % 300)} Đường Thử, Phường ${1 + (i % 20)}, Hà Nội`,
    cardType: 'can-cuoc-2024',
  };
}

/**
 * Upsert the first `n` bench citizens in chunks of `chunk` (one `upsertMany` each).
 * @param onChunk - called after each chunk with its index and the citizens loaded so far
 * @returns the load time in seconds
 */
export async function loadBenchCitizens(
  store: { upsertMany(citizens: StoredIdentity[]): Promise<unknown> },
  n: number,
  chunk: number,
  onChunk: (index: number, loaded: number) => void,
): Promise<number> {
  const t0 = performance.now();
  for (let start = 0; start < n; start += chunk) {
    const batch = Array.from({ length: Math.min(chunk, n - start) }, (_, k) => benchCitizen(start + k));
    await store.upsertMany(batch);
    onChunk(start / chunk, start + batch.length);
  }
  return (performance.now() - t0) / 1000;
}

/**
 * The lookups the store benches time over `n` loaded citizens: `q` random hits by ID number
 * (seeded, so every store gets the same), and measures `q / 5` misses and `q / 5` finds by old
 * CMND number one at a time.
 */
export function benchLookups(n: number, q: number) {
  const rand = createRng(42).next;
  const hitIds = Array.from({ length: q }, () => benchCitizen(Math.floor(rand() * n)).idNumber);
  const oldIds = Array.from({ length: q / 5 }, () => String(100_000_000 + Math.floor(rand() * (n / 3)) * 3).slice(-9));
  return {
    hitIds,
    missAndOld: async (store: {
      get(idNumber: string): Promise<unknown>;
      findByOldIdNumber(oldIdNumber: string): Promise<unknown>;
    }) => ({
      miss: await measureOps(q / 5, 1, (i) => store.get(`09${String(900_000_000 + i).padStart(10, '0')}`)),
      old: await measureOps(q / 5, 1, (i) => store.findByOldIdNumber(oldIds[i] as string)),
    }),
  };
}
