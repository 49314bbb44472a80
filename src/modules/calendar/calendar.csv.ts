import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'csv-parse/sync'
import { civilOf, isWeekend, parseIsoDate, weekdayName, weekdayShort } from './calendar.days.js'
import { isDayOffKind, SCHEDULE_KINDS, type ScheduleDay, type ScheduleKind } from './calendar.schedule.js'

/** The official schedules shipped with the code (a copy of shared/data/holidays.csv, sources kept). */
export const BUNDLED_HOLIDAYS_CSV = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../data/calendar/holidays.csv')

/** Largest schedule text an administrator may upload. */
export const MAX_SCHEDULE_CSV_BYTES = 256 * 1024

export interface CsvProblem {
  /** Line of the CSV (1 = header), or 0 for the file as a whole. */
  line: number
  message: string
}

export interface ParsedScheduleCsv {
  /** Rows per year, in date order. */
  years: Map<number, ScheduleDay[]>
  problems: CsvProblem[]
}

const REQUIRED = ['date', 'name', 'kind'] as const

/**
 * Reads a schedule in the holidays.csv format (`date,name,kind,weekday,note,source`; `weekday`,
 * `note` and `source` optional) and checks every row, reporting all problems at once:
 * real dates within 1900–2100, known kinds, a weekday column that matches the date, one row per
 * date, make-up working days and weekend-in-break days on a Saturday or Sunday, swapped and
 * compensatory days on a weekday.
 */
export function parseScheduleCsv(text: string): ParsedScheduleCsv {
  const problems: CsvProblem[] = []
  const years = new Map<number, ScheduleDay[]>()
  if (Buffer.byteLength(text, 'utf8') > MAX_SCHEDULE_CSV_BYTES) {
    return { years, problems: [{ line: 0, message: `Tệp quá lớn (tối đa ${MAX_SCHEDULE_CSV_BYTES / 1024} KB).` }] }
  }
  let records: string[][]
  try {
    const parsed: unknown = parse(text.replace(/^\uFEFF/, ''), { relax_column_count: false, skip_empty_lines: true, trim: true })
    records = parsed as string[][]
  } catch (e) {
    const line = (e as { lines?: number }).lines ?? 0
    return { years, problems: [{ line, message: `Không đọc được CSV: ${(e as Error).message}` }] }
  }
  const header = (records[0] ?? []).map((h) => h.toLowerCase())
  const missing = REQUIRED.filter((c) => !header.includes(c))
  if (!records.length || missing.length) {
    return { years, problems: [{ line: 1, message: `Thiếu cột bắt buộc: ${missing.join(', ') || REQUIRED.join(', ')}. Dòng đầu phải là: date,name,kind,weekday,note,source` }] }
  }
  const col = (name: string) => header.indexOf(name)
  const iDate = col('date')
  const iName = col('name')
  const iKind = col('kind')
  const iWeekday = col('weekday')
  const iNote = col('note')
  const iSource = col('source')
  const seen = new Map<number, number>()
  records.slice(1).forEach((r, idx) => {
    const line = idx + 2
    const at = (i: number) => (i >= 0 ? (r[i] ?? '') : '')
    const rawDate = at(iDate)
    const day = parseIsoDate(rawDate)
    const name = at(iName)
    const kind = at(iKind)
    const before = problems.length
    if (day === undefined) problems.push({ line, message: `Ngày "${rawDate}" không hợp lệ (cần YYYY-MM-DD).` })
    else {
      const year = civilOf(day).year
      if (year < 1900 || year > 2100) problems.push({ line, message: `Năm ${year} nằm ngoài khoảng 1900–2100.` })
      const dup = seen.get(day)
      if (dup) problems.push({ line, message: `Ngày ${rawDate} đã có ở dòng ${dup}.` })
      seen.set(day, line)
    }
    if (!name) problems.push({ line, message: 'Thiếu tên ngày (cột name).' })
    if (name.length > 300) problems.push({ line, message: 'Tên ngày dài quá 300 ký tự.' })
    if (!(SCHEDULE_KINDS as readonly string[]).includes(kind)) problems.push({ line, message: `Loại "${kind}" không hợp lệ; dùng một trong: ${SCHEDULE_KINDS.join(', ')}.` })
    if (day !== undefined) {
      const wd = at(iWeekday)
      if (wd && wd !== weekdayShort(day)) problems.push({ line, message: `Thứ "${wd}" không khớp với ngày ${rawDate} (${weekdayShort(day)}).` })
      if ((kind === 'makeup_workday' || kind === 'weekend_in_break') && !isWeekend(day)) problems.push({ line, message: `${kind} phải rơi vào thứ Bảy hoặc Chủ nhật (${rawDate} là ${weekdayName(day, 'vi')}).` })
      if ((kind === 'swapped_day_off' || kind === 'compensatory_day_off') && isWeekend(day)) problems.push({ line, message: `${kind} phải là ngày từ thứ Hai đến thứ Sáu (${rawDate} là ${weekdayName(day, 'vi')}).` })
    }
    if (problems.length > before || day === undefined) return
    const year = civilOf(day).year
    const list = years.get(year) ?? []
    list.push({ day, name, kind: kind as ScheduleKind, note: at(iNote).slice(0, 1000), source: at(iSource).slice(0, 2000) })
    years.set(year, list)
  })
  if (records.length < 2) problems.push({ line: 0, message: 'Tệp không có dòng dữ liệu nào.' })
  for (const list of years.values()) list.sort((a, b) => a.day - b.day)
  return { years, problems }
}

/** True when a year's rows announce a schedule (at least one day off or make-up day), not only notes. */
export function isOfficialSchedule(rows: readonly ScheduleDay[]): boolean {
  return rows.some((r) => isDayOffKind(r.kind) || r.kind === 'makeup_workday')
}

/** The bundled official schedules, by year (2024–2026), and the note rows of other years. */
export function readBundledSchedules(): ParsedScheduleCsv {
  const parsed = parseScheduleCsv(fs.readFileSync(BUNDLED_HOLIDAYS_CSV, 'utf8'))
  if (parsed.problems.length) throw new Error(`data/calendar/holidays.csv: ${parsed.problems.map((p) => `line ${p.line}: ${p.message}`).join('; ')}`)
  return parsed
}
