/** Shared by the family tests: a deadline per case, RSS and slowest-case figures printed (never asserted). */
import { afterAll } from 'vitest';

const figures: { name: string; ms: number; deadlineMs: number }[] = [];

/** The promise, or a rejection once `ms` have passed: a case that hangs fails instead of the file's timeout. */
export async function within<T>(name: string, ms: number, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const started = performance.now();
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name} did not end within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work(), deadline]);
  } finally {
    clearTimeout(timer);
    figures.push({ name, ms: Math.round(performance.now() - started), deadlineMs: ms });
  }
}

/** Print, once a file's cases are done, its largest RSS and its slowest case against that case's deadline. */
export function reportFigures(file: string): void {
  afterAll(() => {
    const slowest = [...figures].sort((a, b) => b.ms / b.deadlineMs - a.ms / a.deadlineMs)[0];
    const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    console.log(
      `[figures] ${file}: max RSS ${maxRssMb} MB; slowest case against its deadline: ` +
        (slowest ? `${slowest.name} ${slowest.ms} ms of ${slowest.deadlineMs} ms` : 'none'),
    );
  });
}

/** Every 12-character substring of each secret found in text, shown cut short. */
export function fragmentsIn(text: string, planted: string[]): string[] {
  const found = new Set<string>();
  for (const secret of planted) {
    const chars = [...secret];
    for (let i = 0; i + 12 <= chars.length; i++) {
      const piece = chars.slice(i, i + 12).join('');
      if (text.includes(piece)) found.add(`${piece.slice(0, 6)}… of ${secret.slice(0, 4)}…`);
    }
    if (chars.length < 12 && text.includes(secret)) found.add(`${secret.slice(0, 3)}…`);
  }
  return [...found];
}
