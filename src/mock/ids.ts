import { createHash, randomUUID } from 'node:crypto';

/** A deterministic version-4-shaped UUID derived from its parts (stable across runs for a seed). */
export function stableUuid(...parts: (string | number)[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function requestId(): string {
  return randomUUID();
}
