// A desk process writing to its SQLite identity store until it is killed (SIGKILL from the
// parent, at a moment the parent picks). After each committed step it prints one line, so the
// parent knows what was acknowledged before the kill.
//   sqliteWriter PATH import|enrol
import { createSqliteIdentityStore } from '@smart-citizen/adapter-sqlite';
import { createStaticKeyProvider, encodeEmbedding } from '@smart-citizen/core';

const [path, mode] = process.argv.slice(2) as [string, 'import' | 'enrol'];
const keys = createStaticKeyProvider({ keys: [{ id: 'k1', key: new Uint8Array(32).fill(7) }] });
const store = await createSqliteIdentityStore({ path, keys });
const batchSize = 500;
const idOf = (n: number) => `00109${String(n).padStart(7, '0')}`;
if (mode === 'import') {
  for (let b = 0; ; b++) {
    await store.upsertMany(
      Array.from({ length: batchSize }, (_, i) => ({
        idNumber: idOf(b * batchSize + i),
        fullName: `Công Dân Nhập ${b}-${i}`,
        dateOfBirth: { year: 1999, month: 1 + (i % 12) },
        sex: i % 2 ? ('F' as const) : ('M' as const),
      })),
    );
    console.log(`batch ${b}`);
  }
} else {
  // Enrolment: one citizen and one sealed face template per step.
  const v = new Float32Array(512);
  for (let n = 0; ; n++) {
    await store.upsert({ idNumber: idOf(n), fullName: `Công Dân Đăng Ký ${n}`, dateOfBirth: { year: 1990 }, sex: 'M' });
    v.fill(0);
    v[n % 512] = 1;
    await store.enrolTemplate(idOf(n), { kind: 'face', format: 'f32', data: encodeEmbedding(v) });
    console.log(`enrolled ${n}`);
  }
}
