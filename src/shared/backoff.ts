/**
 * Exponential backoff with ±20 % jitter for a retry after `attempts` failed attempts: `baseMs`,
 * twice that, four times… capped at `capMs`. `random` in [0, 1) (tests pass a fixed one).
 */
export function retryDelayMs(attempts: number, random: () => number, baseMs = 30_000, capMs = 3_600_000): number {
  const base = Math.min(baseMs * 2 ** Math.max(0, attempts - 1), capMs)
  return Math.round(base * (0.8 + 0.4 * random()))
}
