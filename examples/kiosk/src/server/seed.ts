// Generated citizens for the kiosk's embedded store: the card generator's identities
// (`@smart-citizen/idcard/testing`, CCCD 2021 with a QR code), enrolled exactly as their QR
// payload parses, so a card printed for one of them verifies against the store. Citizens old
// enough to have held the 9-digit CMND (born before 2000) carry its number in the QR's second
// field, as real CCCD codes do, so their old card (no QR: read by OCR) finds them too.
import { createRng } from '@smart-citizen/core';
import type { IdentityStore } from '@smart-citizen/core';
import { loadGeneratorData, randomIdentity } from '@smart-citizen/idcard/testing';
import type { GeneratedIdentity } from '@smart-citizen/idcard/testing';
import { parseCardQr } from '@smart-citizen/qr';

/** The default seed of the generated citizens. */
export const DEFAULT_CITIZEN_SEED = 20_261_206;

/** A generated citizen; `oldIdNumber` is the 9-digit CMND they held, when they had one. */
export type SeededCitizen = GeneratedIdentity & { oldIdNumber?: string };

/**
 * The generated citizens (same seed → same people), each with a card QR text.
 * @param count - How many.
 * @param seed - @default DEFAULT_CITIZEN_SEED
 */
export async function generateCitizens(count: number, seed = DEFAULT_CITIZEN_SEED): Promise<SeededCitizen[]> {
  const data = await loadGeneratorData();
  const rng = createRng(seed);
  // The old numbers from a stream of their own, so the citizens themselves stay those of `seed`.
  const oldRng = createRng(seed ^ 0x0c_3d);
  const out: SeededCitizen[] = [];
  const seen = new Set<string>();
  while (out.length < count) {
    const id = randomIdentity(rng, 'cccd-2021', data.names, data.units);
    if (seen.has(id.idNumber) || !id.qrText) continue;
    seen.add(id.idNumber);
    const old = randomIdentity(oldRng, 'cmnd-9', data.names, data.units).idNumber;
    if (id.dateOfBirth.year >= 2000 || seen.has(old)) {
      out.push(id);
      continue;
    }
    seen.add(old);
    const fields = id.qrText.split('|');
    fields[1] = old;
    out.push({ ...id, oldIdNumber: old, qrText: fields.join('|') });
  }
  return out;
}

/**
 * Enrol generated citizens in a store (skips those already there).
 * @returns How many were added.
 */
export async function seedCitizens(
  store: IdentityStore,
  citizens: readonly GeneratedIdentity[],
  today: Date,
): Promise<number> {
  let added = 0;
  for (const c of citizens) {
    if (await store.get(c.idNumber)) continue;
    const { identity } = parseCardQr(c.qrText ?? '', { today });
    await store.upsert({ ...identity, idNumber: c.idNumber });
    added++;
  }
  return added;
}
