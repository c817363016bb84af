/** ISIN check digits (ISO 6166): letters become two digits (A=10 … Z=35), then a Luhn sum. */
export function isinCheckDigit(body: string): number {
  if (!/^[A-Z]{2}[A-Z0-9]{9}$/.test(body)) throw new Error(`not the first 11 characters of an ISIN: ${body}`);
  const digits = [...body].map((c) => (c >= 'A' ? String(c.charCodeAt(0) - 55) : c)).join('');
  let sum = 0;
  // From the rightmost digit leftwards, double every other digit starting with the rightmost.
  for (let i = digits.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = Number(digits[i]) * (double ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export function isValidIsin(isin: string): boolean {
  return /^[A-Z]{2}[A-Z0-9]{9}[0-9]$/.test(isin) && isinCheckDigit(isin.slice(0, 11)) === Number(isin[11]);
}

/** Complete an 11-character ISIN body with its check digit. */
export function withCheckDigit(body: string): string {
  return `${body}${isinCheckDigit(body)}`;
}
