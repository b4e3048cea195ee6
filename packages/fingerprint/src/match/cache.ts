import type { FingerprintTemplate } from '../types.js';
import { type PreparedTemplate, prepareTemplate } from './prepare.js';

const prepared = new WeakMap<FingerprintTemplate, PreparedTemplate>();

/** Prepared form of a template, computed once per template object. @internal */
export function preparedOf(t: FingerprintTemplate): PreparedTemplate {
  let p = prepared.get(t);
  if (!p) {
    p = prepareTemplate(t);
    prepared.set(t, p);
  }
  return p;
}
