// `pnpm demo`: the kiosk server with embedded defaults (SQLite in memory with generated
// citizens, in-memory queue), building the app first when it has not been built.
// Configuration by environment: KIOSK_PORT, KIOSK_HOST, KIOSK_STORE (`:memory:`, a SQLite file or
// postgres://…), KIOSK_QUEUE (memory, redis://… or postgres://…), KIOSK_QUEUE_NAMESPACE (Redis key
// prefix / PostgreSQL schema of the queue), KIOSK_SEED_CITIZENS,
// KIOSK_FACE=0 (card-only), KIOSK_IDCARD=0 (no OCR of cards without a QR code), KIOSK_STORE_KEY=KEYID:HEX (64 hex digits),
// KIOSK_CHIP (auto: a PC/SC reader when pcscd answers; pcsc; off), KIOSK_CHIP_READER (reader name filter),
// KIOSK_CHIP_CSCA (a folder of CSCA certificates, DER or PEM, that the chip's passive authentication trusts).
// `--check` (or KIOSK_CHECK=1, the default when CI=true): start, request the app and the API once, print the result, stop
// (what CI runs, so the demo command is proven without leaving a server behind).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createStaticKeyProvider } from '@smart-citizen/core';
import { defaultProfile } from '@smart-citizen/face';
import { type KioskChipOption, parseCscaFiles } from './chipStation.js';
import { createKioskServer, defaultAppDir } from './createKioskServer.js';

// Under CI the demo proves itself and exits, so `pnpm demo` in .ci/run cannot hang.
const check =
  process.argv.includes('--check') ||
  process.env.KIOSK_CHECK === '1' ||
  ((process.env.CI === 'true' || process.env.CI === '1') && process.env.KIOSK_CHECK !== '0');
const env = process.env;

function keysFromEnv() {
  const spec = env.KIOSK_STORE_KEY;
  if (!spec) return undefined;
  const [id, hex] = spec.split(':');
  if (!id || !hex || !/^[0-9a-fA-F]{64}$/.test(hex))
    throw new RangeError('KIOSK_STORE_KEY must be KEYID:64 hex digits');
  return createStaticKeyProvider({ keys: [{ id, key: Uint8Array.from(Buffer.from(hex, 'hex')) }] });
}

if (!existsSync(join(defaultAppDir, 'index.html'))) {
  process.stderr.write('Building the kiosk app (vite build, once)…\n');
  const { build } = await import('vite');
  await build({ configFile: join(defaultAppDir, '..', 'vite.config.ts'), logLevel: 'warn' });
}

const keys = keysFromEnv();
const chipMode = (env.KIOSK_CHIP ?? 'auto') as KioskChipOption;
if (!['auto', 'pcsc', 'off'].includes(chipMode as string)) throw new RangeError('KIOSK_CHIP must be auto, pcsc or off');
const cscaDir = env.KIOSK_CHIP_CSCA;
const chipCscas = cscaDir
  ? parseCscaFiles(readdirSync(cscaDir).map((f) => new Uint8Array(readFileSync(join(cscaDir, f)))))
  : undefined;
const t0 = performance.now();
const server = await createKioskServer({
  port: env.KIOSK_PORT !== undefined ? Number(env.KIOSK_PORT) : check ? 0 : 8080,
  ...(env.KIOSK_HOST ? { host: env.KIOSK_HOST } : {}),
  ...(env.KIOSK_STORE ? { store: env.KIOSK_STORE } : {}),
  ...(env.KIOSK_QUEUE ? { queue: env.KIOSK_QUEUE } : {}),
  ...(env.KIOSK_QUEUE_NAMESPACE ? { queueNamespace: env.KIOSK_QUEUE_NAMESPACE } : {}),
  ...(env.KIOSK_SEED_CITIZENS ? { seedCitizens: Number(env.KIOSK_SEED_CITIZENS) } : {}),
  ...(env.KIOSK_FACE === '0' ? { face: false } : {}),
  ...(env.KIOSK_IDCARD === '0' ? { idcard: false } : {}),
  ...(keys ? { keys } : {}),
  // The --check run proves the pages and API; it does not wait on a reader.
  chip: check ? 'off' : chipMode,
  ...(env.KIOSK_CHIP_READER ? { chipReader: env.KIOSK_CHIP_READER } : {}),
  ...(chipCscas ? { chipCscas } : {}),
  // The demo's request log goes to stderr; --check keeps it quiet.
  log: check ? () => undefined : (line) => process.stderr.write(`${line}\n`),
});
const ms = Math.round(performance.now() - t0);
console.log(
  `Smart Citizen kiosk: ${server.url}  (board: ${server.url}board.html, counter: ${server.url}counter.html, API: ${server.url}api/openapi.json) — ready in ${ms} ms`,
);

if (check) {
  let failed = false;
  for (const path of [
    '',
    'board.html',
    'counter.html',
    'api/health',
    'api/openapi.json',
    'api/chip/status',
    'runtime/zxing/zxing_reader.wasm',
    'runtime/ort/ort-wasm-simd-threaded.wasm',
    `runtime/models/${defaultProfile.detector.model.file}`,
  ]) {
    const r = await fetch(new URL(path, server.url));
    const ok = r.ok;
    failed ||= !ok;
    console.log(`${ok ? 'ok ' : 'ERR'} GET /${path} → ${r.status}`);
    await r.arrayBuffer();
  }
  await server.close();
  process.exit(failed ? 1 : 0);
} else {
  const stop = () => {
    server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
