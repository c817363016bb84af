/**
 * The legal spellings of the formats webhook events carry, each of the same value: what a consumer
 * must parse when Upvest sends it. A date-time is "RFC 3339-5, ISO8601 UTC" (the pages); a decimal
 * matches the documented pattern ^-?[0-9]{0,63}(\.[0-9]{1,27})?$. A spelling both standards allow
 * is documented; one only RFC 3339 allows (lower-case t and z, RFC 3339 §5.6 NOTE) is a convention.
 */
export interface Spelling {
  /** Stable name, used in findings and stats. */
  name: string;
  /** What the spelling is, for a person. */
  title: string;
  basis: 'documented' | 'convention';
  /** The value respelled, or undefined when the spelling cannot show this value (its value would change). */
  spell(value: string): string | undefined;
}

/** Seconds and fraction digits of an RFC 3339 date-time in UTC, or undefined for another value. */
function parts(value: string): { head: string; fraction: string } | undefined {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(?:Z|\+00:00)$/i.exec(value);
  if (!match) return undefined;
  return { head: match[1].toUpperCase(), fraction: match[2] ?? '' };
}

/** The fraction at `digits` places, undefined if that would drop a digit that is not zero. */
function fractionAt(fraction: string, digits: number): string | undefined {
  if (fraction.slice(digits).replace(/0/g, '') !== '') return undefined;
  return fraction.slice(0, digits).padEnd(digits, '0');
}

const withFraction = (digits: number) => (value: string) => {
  const p = parts(value);
  const f = p && fractionAt(p.fraction, digits);
  return p && f !== undefined ? `${p.head}${digits > 0 ? `.${f}` : ''}Z` : undefined;
};

export const DATE_TIME_SPELLINGS: Spelling[] = [
  { name: 'date-time-seconds', title: 'date-time in whole seconds (2024-03-05T10:20:30Z)', basis: 'documented', spell: withFraction(0) },
  {
    name: 'date-time-centiseconds',
    title: 'date-time with 2 fraction digits, as the docs example (…:30.00Z)',
    basis: 'documented',
    spell: withFraction(2),
  },
  { name: 'date-time-milliseconds', title: 'date-time with 3 fraction digits (…:30.000Z)', basis: 'documented', spell: withFraction(3) },
  { name: 'date-time-microseconds', title: 'date-time with 6 fraction digits (…:30.000000Z)', basis: 'documented', spell: withFraction(6) },
  {
    name: 'date-time-nanoseconds',
    title: "date-time with 9 fraction digits, Go's RFC3339Nano (…:30.000000000Z)",
    basis: 'documented',
    spell: withFraction(9),
  },
  {
    name: 'date-time-offset',
    title: 'date-time with the offset +00:00 instead of Z',
    basis: 'documented',
    spell: (value) => withFraction(Math.max(0, parts(value)?.fraction.length ?? 0))(value)?.replace(/Z$/, '+00:00'),
  },
  {
    name: 'date-time-lower-case',
    title: 'date-time with lower-case t and z (RFC 3339 §5.6 allows them; ISO 8601 does not)',
    basis: 'convention',
    spell: (value) => withFraction(Math.max(0, parts(value)?.fraction.length ?? 0))(value)?.toLowerCase(),
  },
];

const DECIMAL = /^(-?)([0-9]*)(?:\.([0-9]+))?$/;

export const DECIMAL_SPELLINGS: Spelling[] = [
  {
    name: 'decimal-integer',
    title: 'decimal without a fraction (1500): the value loses its fraction, within its range',
    basis: 'documented',
    spell: (value) => {
      const m = DECIMAL.exec(value);
      return m ? `${m[1]}${m[2] || '0'}` : undefined;
    },
  },
  {
    name: 'decimal-27-places',
    title: 'decimal with the 27 fraction digits the pattern allows (1500.250000000000000000000000000)',
    basis: 'documented',
    spell: (value) => {
      const m = DECIMAL.exec(value);
      if (!m || (m[3] ?? '').length > 27) return undefined;
      return `${m[1]}${m[2] || '0'}.${(m[3] ?? '').padEnd(27, '0')}`;
    },
  },
  {
    name: 'decimal-leading-point',
    title: 'decimal below one without its leading zero (.25), as the pattern allows: the value changes, within its range',
    basis: 'documented',
    spell: (value) => {
      const m = DECIMAL.exec(value);
      if (!m) return undefined;
      return `${m[1]}.${m[3]?.replace(/0+$/, '') || '5'}`;
    },
  },
];
