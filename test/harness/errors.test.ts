import { describe, expect, test } from 'vitest';
import { HARNESS_ERRORS, HarnessError, isHarnessError } from '../../src/errors.js';

describe('harness errors', () => {
  test('codes are unique, stable in form and match the class', () => {
    const codes = HARNESS_ERRORS.map((E) => E.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^CT_ERR_[A-Z_]+$/);
  });

  test.for(HARNESS_ERRORS.map((E) => [E.code, E] as const))('%s has a default message, a hint and exit code 2', ([code, ErrorClass]) => {
    const error = new ErrorClass();
    expect(error).toBeInstanceOf(HarnessError);
    expect(error).toBeInstanceOf(Error);
    expect(isHarnessError(error)).toBe(true);
    expect(error.code).toBe(code);
    expect(error.message).toBe(ErrorClass.defaultMessage);
    expect(error.message.length).toBeGreaterThan(10);
    expect(error.hint?.length ?? 0).toBeGreaterThan(10);
    expect(error.exitCode).toBe(2);
    expect(error.name).not.toBe('Error');
    expect(String(error)).toBe(`${code}: ${ErrorClass.defaultMessage}`);
    const custom = new ErrorClass('specific text', { hint: 'do this', details: { at: 'x' }, cause: new Error('root') });
    expect(custom.message).toBe('specific text');
    expect(custom.hint).toBe('do this');
    expect(custom.details).toEqual({ at: 'x' });
    expect((custom.cause as Error).message).toBe('root');
  });
});
