import { describe, expect, it } from 'vitest';
import { SmartCitizenError, errorClass, isSmartCitizenError } from './SmartCitizenError.js';

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

describe('errorClass', () => {
  class DemoError extends errorClass<'demo/bad' | 'demo/worse'>('demo', 'DemoError') {}
  class OtherError extends errorClass<'other/bad'>('other', 'OtherError') {}

  it('makes a named SmartCitizenError subclass whose message names the package', () => {
    const cause = new Error('inner');
    const err = new DemoError('demo/bad', 'it broke', { cause, details: { size: 3 } });
    expect(err).toBeInstanceOf(DemoError);
    expect(err).toBeInstanceOf(SmartCitizenError);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(OtherError);
    expect(err.name).toBe('DemoError');
    expect(err.constructor.name).toBe('DemoError');
    expect(err.code).toBe('demo/bad');
    expect(err.pkg).toBe('demo');
    expect(err.message).toBe('[@smart-citizen/demo] it broke');
    expect(err.cause).toBe(cause);
    expect(err.details).toEqual({ size: 3 });
    expect(String(err)).toBe('DemoError: [@smart-citizen/demo] it broke');
    expect(isSmartCitizenError(err, 'demo/bad')).toBe(true);
  });

  it('leaves cause and details unset when not given', () => {
    const err = new OtherError('other/bad', 'no cause');
    expect('cause' in err).toBe(false);
    expect(err.details).toBeUndefined();
  });
});
