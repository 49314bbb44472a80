import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'csv-parse/sync'

// Province-of-birth codes (Circular 07/2016/TT-BCA appendix 1), copied from shared/data with its columns.
const CSV = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../data/identity/cccd_province_codes.csv')

let codes: Map<string, string> | undefined
function provinceCodes(): Map<string, string> {
  codes ??= new Map(parse<{ cccd_code: string; province_name_pre2025: string }>(fs.readFileSync(CSV, "utf8"), { columns: true }).map((r) => [r.cccd_code, r.province_name_pre2025]))
  return codes
}

export interface IdentityNumberInfo {
  provinceCode: string
  provinceName: string
  gender: 'male' | 'female'
  birthYear: number
}

/**
 * Checks a 12-digit personal identity number by structure only (DOMAIN A10, B §3.4):
 * province-of-birth code, gender-and-century digit, two digits of birth year, six digits.
 * There is no checksum, so none is checked. Returns the problems in Vietnamese, or the parts.
 */
export function parseIdentityNumber(raw: string, opts: { today?: Date } = {}): { ok: true; info: IdentityNumberInfo } | { ok: false; problem: string } {
  const s = raw.trim()
  if (!/^\d{12}$/.test(s)) return { ok: false, problem: 'Số định danh cá nhân phải gồm đúng 12 chữ số.' }
  const provinceName = provinceCodes().get(s.slice(0, 3))
  if (!provinceName) return { ok: false, problem: `Mã tỉnh nơi đăng ký khai sinh "${s.slice(0, 3)}" không có trong danh mục.` }
  const g = Number(s[3])
  const birthYear = 1900 + Math.floor(g / 2) * 100 + Number(s.slice(4, 6))
  const thisYear = (opts.today ?? new Date()).getUTCFullYear()
  if (birthYear > thisYear) return { ok: false, problem: 'Năm sinh suy ra từ số định danh nằm ở tương lai.' }
  return { ok: true, info: { provinceCode: s.slice(0, 3), provinceName, gender: g % 2 === 0 ? 'male' : 'female', birthYear } }
}
