import { describe, expect, it } from 'vitest';
import { SmartCitizenError, isSmartCitizenError } from './SmartCitizenError.js';

describe('SmartCitizenError', () => {
  it('carries a code, the package name in the message, and the cause', () => {
    const cause = new Error('inner');
    const err = new SmartCitizenError('image/too-large', 'image is too large', { pkg: 'core', cause });
    expect(err.code).toBe('image/too-large');
    expect(err.message).toBe('[@smart-citizen/core] image is too large');
    expect(err.cause).toBe(cause);
    expect(err).toBeInstanceOf(Error);
    expect(isSmartCitizenError(err, 'image/too-large')).toBe(true);
    expect(isSmartCitizenError(err, 'other')).toBe(false);
    expect(isSmartCitizenError(new Error('x'))).toBe(false);
  });
});
