import { describe, expect, it } from 'vitest'
import { retryDelayMs } from './backoff.js'

describe('retry delays', () => {
  it('double from 30 s with ±20 % jitter and stop growing at one hour', () => {
    expect(retryDelayMs(1, () => 0.5)).toBe(30_000)
    expect(retryDelayMs(2, () => 0.5)).toBe(60_000)
    expect(retryDelayMs(1, () => 0)).toBe(24_000)
    expect(retryDelayMs(1, () => 1)).toBe(36_000)
    expect(retryDelayMs(20, () => 0.5)).toBe(3_600_000)
  })
})
