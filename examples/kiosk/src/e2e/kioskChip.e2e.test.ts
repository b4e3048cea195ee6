// The chip path end to end in Debian Chromium with the virtual reader: the kiosk server watches
// vpcd's second slot through pcscd (KIOSK_CHIP=pcsc), the chip package's software card for a
// seeded citizen is plugged in when the page asks for it, and the citizen takes the chip as the
// first choice: "use the chip reader" → types the CAN → the card on the reader is read
// (progress, then the chip's identity) → confirm → consent → the face capture with the head-turn
// challenge, verified on the server against the chip's DG2 portrait (a deepface photo stored as
// JPEG 2000; the fake camera shows another photo of that person, and a grey card without a QR so
// no code is read) → ticket.
// axe-core on the chip screens, screenshots in screenshots/.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type VirtualCardConnection, connectVirtualCard } from '@smart-citizen/chip/node';
import { SoftwareCard, createTestPki } from '@smart-citizen/chip/testing';
import { readDecisionAudit } from '@smart-citizen/core';
import { decodeImage, resize, toRgb } from '@smart-citizen/image';
import { encodeJpeg2000 } from '@smart-citizen/image/testing';
import { chromiumPath, hasVpcd, lockVpcdSlot, sharedData, vpcdPort } from '@smart-citizen/test-kit';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chipCardFor } from '../server/chipTestCard.js';
import { createKioskServer, defaultAppDir, type KioskServer } from '../server/createKioskServer.js';
import { generateCitizens } from '../server/seed.js';
import { buildFakeCamera, FRAME_H, FRAME_W, launchWithFakeCamera } from './fakeCamera.js';

const here = dirname(fileURLToPath(import.meta.url));
const kioskDir = resolve(here, '../..');
const shotsDir = join(kioskDir, 'screenshots');
const chromium = chromiumPath();
const vpcd = await hasVpcd();
const deepface = sharedData('face/deepface');
const require = createRequire(import.meta.url);
const port = vpcdPort + 1;

type Violation = { id: string; impact: string | null };
async function seriousViolations(page: Page, name: string): Promise<Violation[]> {
  await page.addScriptTag({ content: readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8') });
  const { violations } = (await page.evaluate(() =>
    (globalThis as unknown as { axe: { run: (o: unknown) => Promise<unknown> } }).axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    }),
  )) as { violations: Violation[] };
  await page.screenshot({ path: join(shotsDir, `${name}.png`), fullPage: true });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

describe.skipIf(!chromium || !vpcd || !deepface)('kiosk chip path in Chromium with the virtual reader', () => {
  const pki = createTestPki();
  let server: KioskServer;
  let browser: Browser;
  let release: () => void = () => undefined;
  let connection: VirtualCardConnection | undefined;
  const logs: string[] = [];
  let work = '';
  let citizen: Awaited<ReturnType<typeof generateCitizens>>[number];
  let dg2: { bytes: Uint8Array; format: 'jpeg2000'; width: number; height: number };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'sc-kiosk-chip-e2e-'));
    citizen = (await generateCitizens(12)).find((c) => c.expiryDate) as typeof citizen;
    const photo = (f: string) => new Uint8Array(readFileSync(join(deepface as string, f)));
    // deepface img1 and img2 are the same person (identities.json): img1 in the chip, img2 live.
    const portrait = toRgb(await decodeImage(photo('img1.jpg'), { maxDimension: 1600 }));
    const s = 480 / Math.max(portrait.width, portrait.height);
    const small = resize(portrait, { width: Math.round(portrait.width * s), height: Math.round(portrait.height * s) });
    dg2 = { bytes: await encodeJpeg2000(small), format: 'jpeg2000', width: small.width, height: small.height };
    const blank = {
      width: FRAME_W,
      height: FRAME_H,
      channels: 3 as const,
      data: new Uint8Array(FRAME_W * FRAME_H * 3).fill(150),
    };
    const clip = await buildFakeCamera(citizen, photo('img1.jpg'), photo('img2.jpg'), join(work, 'camera.y4m'), {
      card: blank,
    });
    mkdirSync(shotsDir, { recursive: true });
    const { existsSync } = await import('node:fs');
    if (!existsSync(join(defaultAppDir, 'index.html'))) {
      const { build } = await import('vite');
      await build({ configFile: join(kioskDir, 'vite.config.ts'), logLevel: 'warn' });
    }
    release = await lockVpcdSlot(port);
    server = await createKioskServer({
      port: 0,
      idcard: false,
      seedCitizens: 12,
      challenge: 'turn-right',
      chip: 'pcsc',
      chipReader: 'Virtual PCD 00 01',
      chipCscas: [pki.csca.der],
      log: (l) => logs.push(l),
    });
    browser = await launchWithFakeCamera(chromium as string, clip.path);
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await connection?.close();
    await server?.close();
    release();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('reads the card from the chip with a typed CAN, verifies the face against the chip portrait, issues a ticket', async () => {
    const page = await (
      await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 1000 } })
    ).newPage();
    const serious: Record<string, Violation[]> = {};
    const check = async (name: string) => {
      const v = await seriousViolations(page, name);
      if (v.length) serious[name] = v;
    };
    await page.goto(server.url);
    await page.click('#start');
    await page.waitForSelector('main[data-screen="card"] #use-chip');
    await page.click('#use-chip');
    await page.waitForSelector('main[data-screen="chip"] #can');
    await check('chip-01-can');
    await page.fill('#can', '12');
    await page.click('#can-form button[type="submit"]');
    await page.waitForSelector('#chip-guidance:text-matches("6")');
    await page.fill('#can', citizen.idNumber.slice(6));
    await page.click('#can-form button[type="submit"]');
    await page.waitForSelector('#chip-guidance:has-text("Đặt thẻ")');
    await check('chip-02-place-card');
    const t0 = performance.now();
    connection = await connectVirtualCard(new SoftwareCard(chipCardFor(citizen, { pki, portrait: dg2 })), { port });
    await page.waitForSelector('main[data-screen="confirm"]', { timeout: 60_000 });
    console.log(`[kiosk chip e2e] card on the reader → confirm screen in ${Math.round(performance.now() - t0)} ms`);
    await expect(page.textContent('main')).resolves.toContain(citizen.fullName);
    await check('chip-03-confirm');
    await page.click('#yes');
    await page.waitForSelector('main[data-screen="consent"]', { timeout: 60_000 });
    await check('chip-04-consent');
    await page.click('#agree');
    await page.waitForSelector('main[data-screen="face"]', { timeout: 60_000 });
    await page.waitForSelector('main[data-screen="procedure"]', { timeout: 180_000 });
    await page.click('button[data-procedure="residence"]');
    await page.waitForSelector('main[data-screen="ticket"]');
    expect((await page.textContent('#ticket-number'))?.trim()).toMatch(/^C\d{3}$/);
    expect(serious).toEqual({});
    const actions = (await server.audit.list()).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['chip.read', 'consent.grant', 'session.decide', 'queue.issue']));
    // The decision: the live face against the authenticated chip's portrait, level 3.
    const decided = (await server.audit.list()).filter((e) => e.action === 'session.decide').at(-1);
    expect(decided && readDecisionAudit(decided)).toMatchObject({ outcome: 'verified', achievedLevel: 3 });
    const log = logs.join('\n');
    expect(log).not.toContain(citizen.idNumber);
    expect(log).not.toContain(citizen.fullName);
  }, 300_000);
});
