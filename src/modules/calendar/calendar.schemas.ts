import { z } from 'zod'
import { MAX_YEAR, MIN_YEAR, parseIsoDate, parseIsoInstant, civilOf } from './calendar.days.js'
import { DEADLINE_UNITS, MAX_AMOUNT } from './calendar.deadline.js'
import { DAY_OFF_KINDS } from './calendar.schedule.js'

const yearOk = (n: number) => n >= MIN_YEAR && n <= MAX_YEAR

export const Year = z
  .string()
  .regex(/^\d{4}$/, 'Năm gồm 4 chữ số.')
  .transform(Number)
  .refine(yearOk, `Năm phải từ ${MIN_YEAR} đến ${MAX_YEAR}.`)
  .describe(`Year, ${MIN_YEAR}–${MAX_YEAR}`)

export const CommuneCode = z.string().regex(/^\d{5}$/, 'Mã xã gồm 5 chữ số.').describe('Commune code (5 digits, GSO)')

/** 'YYYY-MM-DD' within 1900–2100, as a day number. */
export const IsoDay = z
  .string()
  .max(10)
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Ngày cần dạng YYYY-MM-DD.')
  .transform((s, ctx) => {
    const d = parseIsoDate(s)
    if (d === undefined || !yearOk(civilOf(d).year)) {
      ctx.addIssue({ code: 'custom', message: `Ngày không có thật hoặc ngoài các năm ${MIN_YEAR}–${MAX_YEAR}.` })
      return z.NEVER
    }
    return d
  })

/** An ISO-8601 date-time within 1900–2100, as epoch ms; without an offset it is Vietnam time. */
export const IsoInstant = z
  .string()
  .max(40)
  .transform((raw, ctx) => {
    // An unencoded '+' in a query string arrives as a space: '…T08:30:00 07:00' means +07:00.
    const s = raw.replace(/([T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:\d{2})$/, '$1+$2')
    const t = parseIsoInstant(s)
    const y = t === undefined ? 0 : civilOf(Math.floor((t + 7 * 3_600_000) / 86_400_000)).year
    if (t === undefined || !yearOk(y)) {
      ctx.addIssue({ code: 'custom', message: `Thời điểm cần dạng ISO-8601 (ví dụ 2026-03-02T08:30:00+07:00), trong các năm ${MIN_YEAR}–${MAX_YEAR}.` })
      return z.NEVER
    }
    return t
  })
  .describe('ISO-8601 date-time, e.g. 2026-03-02T08:30:00+07:00 (no offset = Vietnam time)')

export const DaysOffQuery = z.object({ year: Year, unit: CommuneCode.optional() })
export const YearQuery = z.object({ year: Year })

export const DayOffDto = z.object({
  date: z.string().describe('YYYY-MM-DD'),
  name: z.string(),
  kind: z.enum([...DAY_OFF_KINDS, 'closure']),
  provisional: z.boolean().describe('True when the year has no announced schedule and the day is computed by the A3 rules'),
})
export const MakeupDayDto = z.object({ date: z.string(), name: z.string() })

export const DueQuery = z
  .object({
    receivedAt: IsoInstant,
    amount: z.string().regex(/^\d{1,5}$/, 'Số lượng là số nguyên không âm.').transform(Number),
    unit: z.enum(DEADLINE_UNITS),
    commune: CommuneCode.optional(),
  })
  .superRefine((q, ctx) => {
    const max = MAX_AMOUNT[q.unit]
    if (q.amount > max) ctx.addIssue({ code: 'custom', path: ['amount'], message: q.unit === 'same_day' ? 'Thời hạn trong ngày dùng amount=0.' : `Tối đa ${max} với đơn vị ${q.unit}.` })
  })

const Step = z.object({ vi: z.string(), en: z.string() })
export const DueDto = z.object({
  dueAt: z.string().describe('ISO-8601 with the +07:00 offset'),
  explanation: z.object({
    unit: z.enum(DEADLINE_UNITS),
    amount: z.number(),
    receivedAt: z.string(),
    countingStartsAt: z.string(),
    movedBecause: z.enum(['outside_working_hours', 'non_working_day']).nullable(),
    uncountedDay: z.string().nullable(),
    cutoffApplied: z.boolean(),
    dueDayMovedFrom: z.string().nullable(),
    skippedDays: z.array(z.object({ date: z.string(), reason: z.enum(['weekend', ...DAY_OFF_KINDS, 'closure']), name: z.string().nullable(), provisional: z.boolean() })),
    pauses: z.array(z.object({ from: z.string(), to: z.string(), reason: z.string(), mode: z.enum(['restart', 'resume']), applied: z.boolean() })),
    steps: z.array(Step),
  }),
})

export const WorkingDaysQuery = z.object({ from: IsoDay, to: IsoDay, commune: CommuneCode.optional() }).superRefine((q, ctx) => {
  if (q.to < q.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'Ngày kết thúc phải từ ngày bắt đầu trở đi.' })
})
export const CountDto = z.object({ count: z.number().int() })

export const ErrorDto = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) })
