import { isSmartCitizenError } from '@smart-citizen/core';

/** For tests: the error code `fn` throws, `'no error'`, or `'other: …'` for a non-SDK error. @internal */
export function thrownCode(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return isSmartCitizenError(err) ? err.code : `other: ${String(err)}`;
  }
  return 'no error';
}
