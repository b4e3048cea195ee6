import type { StoredIdentity } from '@smart-citizen/core';

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
