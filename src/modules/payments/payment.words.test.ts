import { describe, expect, it } from 'vitest'
import { vndInWords } from './payment.words.js'

describe('amount in words on a receipt', () => {
  it.each([
    [0, 'Không đồng'],
    [5, 'Năm đồng'],
    [10, 'Mười đồng'],
    [15, 'Mười lăm đồng'],
    [21, 'Hai mươi mốt đồng'],
    [105, 'Một trăm lẻ năm đồng'],
    [110, 'Một trăm mười đồng'],
    [7_000, 'Bảy nghìn đồng'],
    [50_000, 'Năm mươi nghìn đồng'],
    [105_000, 'Một trăm lẻ năm nghìn đồng'],
    [150_000, 'Một trăm năm mươi nghìn đồng'],
    [1_000_500, 'Một triệu năm trăm đồng'],
    [1_005_000, 'Một triệu không trăm lẻ năm nghìn đồng'],
    [2_000_000_000, 'Hai tỷ đồng'],
    [1_250_035, 'Một triệu hai trăm năm mươi nghìn không trăm ba mươi lăm đồng'],
  ])('%i → %s', (n, words) => {
    expect(vndInWords(n)).toBe(words)
  })

  it('refuses fractions and negatives', () => {
    expect(() => vndInWords(1.5)).toThrow(RangeError)
    expect(() => vndInWords(-1)).toThrow(RangeError)
  })
})
