const DIGITS = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín']
const SCALES = ['', 'nghìn', 'triệu', 'tỷ', 'nghìn tỷ', 'triệu tỷ']

/** Reads a group of three digits; `full` when a higher group precedes it ("không trăm lẻ năm"). */
function readGroup(n: number, full: boolean): string {
  const h = Math.floor(n / 100)
  const t = Math.floor((n % 100) / 10)
  const u = n % 10
  const out: string[] = []
  if (h > 0 || full) out.push(DIGITS[h]!, 'trăm')
  if (t === 0) {
    if (u > 0 && (h > 0 || full)) out.push('lẻ')
  } else if (t === 1) out.push('mười')
  else out.push(DIGITS[t]!, 'mươi')
  if (u === 1 && t >= 2) out.push('mốt')
  else if (u === 5 && t >= 1) out.push('lăm')
  else if (u > 0) out.push(DIGITS[u]!)
  return out.join(' ')
}

/** An amount of VND in Vietnamese words for a receipt: 50000 → "Năm mươi nghìn đồng". */
export function vndInWords(amount: number): string {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError(`not a whole amount: ${amount}`)
  if (amount === 0) return 'Không đồng'
  const groups: number[] = []
  for (let n = amount; n > 0; n = Math.floor(n / 1000)) groups.push(n % 1000)
  const words: string[] = []
  for (let i = groups.length - 1; i >= 0; i--) {
    const g = groups[i]!
    if (g === 0) continue
    words.push(readGroup(g, i < groups.length - 1), SCALES[i]!)
  }
  const s = words.filter(Boolean).join(' ')
  return `${s.charAt(0).toUpperCase()}${s.slice(1)} đồng`
}
