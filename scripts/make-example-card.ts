/**
 * Writes examples/data/cccd-qr-photo.jpg, the card photo `pnpm demo` reads: a made-up CCCD
 * payload rendered as a QR code on a card-like photo with perspective, blur, noise, uneven
 * light and JPEG compression (level 2 of the QR benchmark's generator, seeded, so the file is
 * reproducible). Run: pnpm exec tsx --conditions=@smart-citizen/source scripts/make-example-card.ts
 */
import { writeFileSync } from 'node:fs';
import { generateCardQrSet } from '../packages/qr/src/testing/generateCardQrSet.js';

const [sample] = await generateCardQrSet({ count: 1, levels: [2], seed: 2026 });
if (!sample?.jpeg) throw new Error('the generator gave no JPEG at level 2');
writeFileSync(new URL('../examples/data/cccd-qr-photo.jpg', import.meta.url), sample.jpeg);
writeFileSync(new URL('../examples/data/cccd-qr-photo.txt', import.meta.url), `${sample.text}\n`);
console.log(`wrote examples/data/cccd-qr-photo.jpg (${sample.jpeg.length} bytes)`);
