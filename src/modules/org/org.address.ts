import type { UnitLevel } from './org.tables.js'

// Reading the parts of a pre-2025 address ("Xã An Xuyên, Thành phố Cà Mau, Tỉnh Cà Mau").
// Pure: every function takes text already folded by the database's vn_fold (lower case, no
// accents, đ → d), so names compare exactly as the name_folded columns do.

/** One way to read a name: an optional kind word ("xa", "thanh pho") and the rest. */
export interface NameReading {
  prefix?: string
  bare: string
}

export type AddressPart =
  | { kind: 'code'; code: string }
  | {
      kind: 'name'
      readings: NameReading[]
      /** A piece every matching unit's folded name contains (for a LIKE prefilter). */
      contains: string
    }

// Kind words of each level, with the abbreviations people write ("TP.", "P.2", "TT").
const PREFIXES: Record<UnitLevel, [RegExp, string][]> = {
  province: [
    [/^tinh\s+/, 'tinh'],
    [/^thanh pho\s+/, 'thanh pho'],
    [/^tp(?:\.\s*|\s+)/, 'thanh pho'],
  ],
  district: [
    [/^huyen\s+/, 'huyen'],
    [/^h\.\s*/, 'huyen'],
    [/^thanh pho\s+/, 'thanh pho'],
    [/^tp(?:\.\s*|\s+)/, 'thanh pho'],
    [/^thi xa\s+/, 'thi xa'],
    [/^tx(?:\.\s*|\s+)/, 'thi xa'],
    [/^quan\s+/, 'quan'],
    [/^q(?:\.\s*|(?=\d))/, 'quan'],
  ],
  commune: [
    [/^phuong\s+/, 'phuong'],
    [/^p(?:\.\s*|(?=\d))/, 'phuong'],
    [/^xa\s+/, 'xa'],
    [/^x\.\s*/, 'xa'],
    [/^thi tran\s+/, 'thi tran'],
    [/^tt(?:\.\s*|\s+)/, 'thi tran'],
    [/^dac khu\s+/, 'dac khu'],
  ],
}

/** Code lengths of each level in the GSO scheme. */
const CODE_LENGTH: Record<UnitLevel, number> = { province: 2, district: 3, commune: 5 }

/** Spaces collapsed, leading zeros of numbers dropped ("phuong 02" → "phuong 2"). */
function tidy(folded: string): string {
  return folded
    .replace(/[\s\u00a0]+/g, ' ')
    .replace(/\b0+(\d)/g, '$1')
    .trim()
}

/**
 * The ways to read a folded name at a level: with its kind word split off when it starts with
 * one, and always as a whole (so "xa phien" may be "Xã Phiên" or a place called "Xà Phiên").
 */
export function readName(folded: string, level: UnitLevel): NameReading[] {
  const text = tidy(folded)
  const out: NameReading[] = []
  for (const [re, prefix] of PREFIXES[level]) {
    const m = re.exec(text)
    if (m && text.length > m[0].length) {
      out.push({ prefix, bare: text.slice(m[0].length).trim() })
      break
    }
  }
  out.push({ bare: text })
  return out
}

/** Reads one part of an address: a GSO code (leading zeros allowed: "096") or a name. */
export function readAddressPart(folded: string, level: UnitLevel): AddressPart | undefined {
  const text = tidy(folded)
  if (!text) return undefined
  if (/^\d+$/.test(folded.trim())) {
    const digits = folded.trim().replace(/^0+(?=\d)/, '')
    return { kind: 'code', code: digits.padStart(CODE_LENGTH[level], '0') }
  }
  const readings = readName(text, level)
  const contains = readings.reduce((a, r) => (r.bare.length < a.length ? r.bare : a), text)
  return { kind: 'name', readings, contains }
}

/** Whether a unit's folded name (which always has its kind word) matches an address part. */
export function nameMatches(unitFolded: string, level: UnitLevel, part: AddressPart): boolean {
  if (part.kind !== 'name') return false
  const unit = readName(unitFolded, level)[0]
  if (!unit) return false
  return part.readings.some((r) => (r.prefix === undefined ? r.bare === unit.bare || r.bare === tidy(unitFolded) : r.prefix === unit.prefix && r.bare === unit.bare))
}

/** Splits a one-line address on commas, dropping empty pieces. */
export function splitAddressLine(line: string): string[] {
  return line
    .split(/[,;\n]/)
    .map((s) => s.trim())
    .filter(Boolean)
}

/**
 * Assigns the pieces of a one-line address (already folded) to commune, district and province,
 * from the end: the last three are commune, district, province (anything before them, such as
 * a street or hamlet, is ignored). With two pieces, the second is the province when it says
 * "tỉnh", else the district.
 */
export function assignAddressPieces(folded: string[]): { commune?: number; district?: number; province?: number } {
  const n = folded.length
  if (n >= 3) return { commune: n - 3, district: n - 2, province: n - 1 }
  if (n === 2) return /^tinh\b/.test(tidy(folded[1] ?? '')) ? { commune: 0, province: 1 } : { commune: 0, district: 1 }
  if (n === 1) return { commune: 0 }
  return {}
}
