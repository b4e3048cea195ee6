import type { ECDSA } from '@noble/curves/abstract/weierstrass.js';
import { brainpoolP256r1, brainpoolP384r1, brainpoolP512r1 } from '@noble/curves/misc.js';
import { p256, p384, p521 } from '@noble/curves/nist.js';

/** An elliptic curve the chip code can use for PACE, chip authentication and signatures. */
export interface NamedCurve {
  name: string;
  /** Named-curve OID. */
  oid: string;
  /** ICAO 9303-11 / BSI TR-03110 standardized domain parameter id. */
  parameterId: number;
  ecdsa: ECDSA;
  /** Field element size in bytes. */
  size: number;
}

/**
 * The curves of ICAO 9303-11 table 6 this package supports. The 192/224/320-bit curves (ids
 * 8–11 and 14) are not in `@noble/curves` and no chip we target uses them.
 */
export const namedCurves: readonly NamedCurve[] = [
  { name: 'secp256r1', oid: '1.2.840.10045.3.1.7', parameterId: 12, ecdsa: p256, size: 32 },
  { name: 'brainpoolP256r1', oid: '1.3.36.3.3.2.8.1.1.7', parameterId: 13, ecdsa: brainpoolP256r1, size: 32 },
  { name: 'secp384r1', oid: '1.3.132.0.34', parameterId: 15, ecdsa: p384, size: 48 },
  { name: 'brainpoolP384r1', oid: '1.3.36.3.3.2.8.1.1.11', parameterId: 16, ecdsa: brainpoolP384r1, size: 48 },
  { name: 'brainpoolP512r1', oid: '1.3.36.3.3.2.8.1.1.13', parameterId: 17, ecdsa: brainpoolP512r1, size: 64 },
  { name: 'secp521r1', oid: '1.3.132.0.35', parameterId: 18, ecdsa: p521, size: 66 },
];

export const curveByParameterId = (id: number): NamedCurve | undefined => namedCurves.find((c) => c.parameterId === id);
export const curveByOid = (oid: string): NamedCurve | undefined => namedCurves.find((c) => c.oid === oid);
/** Match explicit domain parameters (as many chips and certificates carry) to a named curve by prime and order. */
export const curveByPrimeAndOrder = (p: bigint, n: bigint): NamedCurve | undefined =>
  namedCurves.find((c) => c.ecdsa.Point.Fp.ORDER === p && c.ecdsa.Point.Fn.ORDER === n);
