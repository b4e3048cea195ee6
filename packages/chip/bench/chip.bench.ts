import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BenchTable, defineBench, percentile } from '@smart-citizen/bench';
import { hasVpcd, sharedData, vpcdPort } from '@smart-citizen/test-kit';
import { type CardTransport, type ChipReadResult, ChipReader } from '../src/index.js';
import { connectVirtualCard, createPcscTransport } from '../src/node.js';
import { OID } from '../src/asn1.js';
import { SoftwareCard, type TestDocument, createTestDocument, createTestPki } from '../src/testing.js';

const steps = [
  'card-access',
  'pace',
  'bac',
  'select',
  'read',
  'chip-authentication',
  'active-authentication',
  'passive-authentication',
  'parse',
] as const;

/** A portrait of realistic size for DG2: a real 19.9 KB JPEG from ../shared (deepface img12) when there, the size of a CCCD portrait, else the tiny synthetic one. */
function portrait(): Parameters<typeof createTestDocument>[0] {
  const dir = sharedData('face/deepface');
  if (!dir) return {};
  const bytes = new Uint8Array(readFileSync(join(dir, 'img12.jpg')));
  return { portrait: { bytes, format: 'jpeg', width: 0, height: 0 } };
}

async function measure(
  label: string,
  runs: number,
  doc: TestDocument,
  connect: () => Promise<{ transport: CardTransport; done: () => Promise<void> }>,
  key: 'can' | 'bac',
): Promise<Record<string, string | number>> {
  const wall: number[] = [];
  const cpu: number[] = [];
  const per: Record<string, number[]> = {};
  let last: ChipReadResult | undefined;
  for (let i = 0; i < runs + 1; i++) {
    const { transport, done } = await connect();
    const reader = await ChipReader.create({ transport, ownsTransport: false });
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    last = await reader.read({
      key: key === 'can' ? { can: doc.can } : { mrz: doc.mrzKey },
      cscas: [doc.pki.csca.der],
    });
    const t = performance.now() - t0;
    const c = process.cpuUsage(c0);
    await reader.close();
    await done();
    if (i === 0) continue; // first read warms up the JIT
    wall.push(t);
    cpu.push((c.user + c.system) / 1000);
    for (const s of steps) {
      per[s] = [...(per[s] ?? []), last.timings[s] ?? 0];
    }
  }
  const a = last?.authentication;
  return {
    path: label,
    access: `${last?.accessControl.protocol} ${last?.accessControl.cipher}`,
    apdus: last?.apdus ?? 0,
    'DG2 bytes': last?.files.DG2?.length ?? 0,
    'wall p50 ms': Math.round(percentile(wall, 50)),
    'CPU p50 ms': Math.round(percentile(cpu, 50)),
    ...Object.fromEntries(steps.map((s) => [`${s} ms`, Math.round(percentile(per[s] ?? [0], 50) * 10) / 10])),
    checks: `PA ${a?.passive.status}, CA ${a?.chip.status}, AA ${a?.active.status}`,
  };
}

export const bench = defineBench({
  name: 'chip',
  pkg: 'chip',
  description:
    'time to read and authenticate the software chip per step: in process through the transport port, and through pcscd + vsmartcard-vpcd with pcsc-mini; PACE (AES, brainpoolP256r1) and BAC',
  async run(ctx) {
    const runs = ctx.quick ? 3 : 10;
    const pki = createTestPki();
    const doc = createTestDocument({ pki, ...portrait() });
    const doc3 = createTestDocument({
      pki,
      ...portrait(),
      paceProtocol: OID.paceEcdhGm3Des,
      paceParameterId: 12,
      caProtocol: OID.caEcdh3Des,
      chipKeyCurve: 'secp256r1',
    });
    const rows: Record<string, string | number>[] = [];
    const inProcess =
      (d: TestDocument, refusePace = false) =>
      async () => ({ transport: new SoftwareCard(d, { refusePace }), done: async () => {} });
    ctx.progress('in process');
    rows.push(await measure('in process, PACE CAN', runs, doc, inProcess(doc), 'can'));
    rows.push(await measure('in process, PACE 3DES P-256', runs, doc3, inProcess(doc3), 'can'));
    rows.push(await measure('in process, BAC', runs, doc, inProcess(doc, true), 'bac'));
    const notes: string[] = [];
    if (await hasVpcd()) {
      const virtual =
        (d: TestDocument, refusePace = false) =>
        async () => {
          const conn = await connectVirtualCard(new SoftwareCard(d, { refusePace }), { port: vpcdPort });
          const transport = await createPcscTransport({ reader: 'Virtual PCD' });
          return {
            transport,
            done: async () => {
              await transport.close();
              await conn.close();
              await new Promise((r) => setTimeout(r, 300));
            },
          };
        };
      ctx.progress('virtual reader');
      rows.push(await measure('pcscd + vpcd, PACE CAN', runs, doc, virtual(doc), 'can'));
      rows.push(await measure('pcscd + vpcd, BAC', runs, doc, virtual(doc, true), 'bac'));
    } else
      notes.push(
        'pcscd with vsmartcard-vpcd is not running: the virtual-reader rows were skipped (.ci/install-chip.sh)',
      );
    notes.push(
      'wall and per-step times include the software card answering in the same process (its PACE/CA/AA work is about as heavy as the reader side); CPU is the whole process',
    );
    const tables: BenchTable[] = [{ title: `chip read + authenticate, p50 of ${runs} reads after one warm-up`, rows }];
    return { tables, notes };
  },
});
