/** The strict RFC 8941 subset that signature-input, signature and content-digest are parsed with. */
import { describe, expect, it } from 'vitest';
import {
  ByteSequence,
  parseDictionary,
  serializeInnerList,
  serializeString,
  StructuredFieldError,
  Token,
} from '../../src/signing/structured-fields.js';

describe('parseDictionary', () => {
  it('parses inner lists, items, parameters and every supported bare item type', () => {
    const dictionary = parseDictionary('a=("x" "y\\"z");n=-12;t=tok/en:1;b=?0;f, b=:AQID:;p ,  c ');
    expect(dictionary.get('a')).toEqual({
      items: [
        { value: 'x', params: new Map() },
        { value: 'y"z', params: new Map() },
      ],
      params: new Map<string, unknown>([
        ['n', -12],
        ['t', new Token('tok/en:1')],
        ['b', false],
        ['f', true],
      ]),
    });
    expect(dictionary.get('b')).toEqual({ value: new ByteSequence(Buffer.from([1, 2, 3])), params: new Map([['p', true]]) });
    expect(dictionary.get('c')).toEqual({ value: true, params: new Map() });
    expect(parseDictionary('')).toEqual(new Map());
  });

  it.each([
    ['a trailing comma', 'a=1,', /trailing comma/],
    ['an unterminated inner list', 'a=("x"', /unterminated inner list/],
    ['a missing value', 'a=', /expected a value but found the end/],
    ['an unterminated string', 'a="x', /unterminated string/],
    ['a bad escape', 'a="\\n"', /invalid escape/],
    ['a non-ASCII string', 'a="é"', /outside printable ASCII/],
    ['a decimal', 'a=1.5', /decimal/],
    ['a 16-digit integer', 'a=1234567890123456', /longer than 15 digits/],
    ['bad base64', 'a=:AQI*:', /expected ":"/],
    ['unpadded base64', 'a=:AQI:', /invalid base64/],
    ['an upper-case key', 'A=1', /expected a key/],
    ['items not separated by a space', 'a=("x""y")', /expected a space or "\)"/],
    ['garbage after a member', 'a=1 b=2', /expected ","/],
  ])('rejects %s', (_name, input, message) => {
    expect(() => parseDictionary(input)).toThrow(StructuredFieldError);
    expect(() => parseDictionary(input)).toThrow(message);
  });
});

describe('serialization', () => {
  it('round-trips an inner list with parameters', () => {
    const text = '("@method" "a\\\\b");keyid="k\\"1";created=1;flag;tok=abc;bytes=:AQID:';
    const member = parseDictionary(`x=${text}`).get('x');
    expect(member && 'items' in member && serializeInnerList(member)).toBe(text);
  });

  it('refuses strings it cannot represent', () => {
    expect(() => serializeString('line\nbreak')).toThrow(StructuredFieldError);
  });
});
