import { isSmartCitizenError } from '@smart-citizen/core';
import { describe, expect, it } from 'vitest';
import { IdCardError } from './errors.js';

describe('IdCardError', () => {
  it('is a SmartCitizenError of the idcard package with its code and cause', () => {
    const cause = new Error('inner');
    const err = new IdCardError('idcard/bad-image', 'cannot decode the front image', { cause });
    expect(isSmartCitizenError(err, 'idcard/bad-image')).toBe(true);
    expect(err.pkg).toBe('idcard');
    expect(err.message).toBe('[@smart-citizen/idcard] cannot decode the front image');
    expect(err.cause).toBe(cause);
    expect(err.name).toBe('IdCardError');
  });
});
