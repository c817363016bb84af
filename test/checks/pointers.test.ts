import { describe, expect, test } from 'vitest';
import { presentValuesAt, valuesAt } from '../../src/checks/util.js';

const body = {
  meta: { order: 'ASC' },
  data: [
    { status: 'NEW', positions: [{ value: { currency: 'EUR' } }, { value: null }, {}] },
    { status: 'FILLED', positions: [] },
    { positions: 'not an array' },
  ],
};

describe('wildcard pointers', () => {
  test('valuesAt names every value with its concrete pointer, missing ones included', () => {
    expect(valuesAt(body, '/data/*/status')).toEqual([
      { pointer: '/data/0/status', value: 'NEW' },
      { pointer: '/data/1/status', value: 'FILLED' },
      { pointer: '/data/2/status', value: undefined },
    ]);
    expect(valuesAt(body, '')).toEqual([{ pointer: '', value: body }]);
  });

  test('presentValuesAt gives the values present, in document order, through arrays and nulls', () => {
    expect(presentValuesAt(body, '/data/*/status')).toEqual(['NEW', 'FILLED']);
    expect(presentValuesAt(body, '/data/*/positions/*/value/currency')).toEqual(['EUR']);
    expect(presentValuesAt(body, '/data/*/positions/*/value')).toEqual([{ currency: 'EUR' }, null]);
    expect(presentValuesAt(body, '/meta/order')).toEqual(['ASC']);
    expect(presentValuesAt(body, '/meta/*')).toEqual([]);
    expect(presentValuesAt(body, '/missing/*/x')).toEqual([]);
    expect(presentValuesAt(['a', 'b'], '/*')).toEqual(['a', 'b']);
  });

  test('presentValuesAt agrees with valuesAt on every pointer', () => {
    for (const pointer of [
      '/data/*/status',
      '/data/*/positions/*/value',
      '/data/*/positions/*/value/currency',
      '/meta/order',
      '/data/*/positions',
    ]) {
      expect(presentValuesAt(body, pointer), pointer).toEqual(
        valuesAt(body, pointer)
          .filter((n) => n.value !== undefined)
          .map((n) => n.value),
      );
    }
  });
});
