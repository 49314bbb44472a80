import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { formatVnIso } from './calendar.days.js'
import { computeDue, countWorkingDaysBetween } from './calendar.deadline.js'
import { CountDto, DayOffDto, DaysOffQuery, DueDto, DueQuery, ErrorDto, MakeupDayDto, WorkingDaysQuery, YearQuery } from './calendar.schemas.js'
import { daysOffOf, getCalendarSnapshot, makeupWorkdaysOf, type CalendarDeps } from './calendar.service.js'

const TAGS = ['calendar']

/** The public JSON API of the working calendar (no login: it is public information). */
export function registerCalendarApi(appIn: FastifyInstance, deps: CalendarDeps) {
  const app = appIn.withTypeProvider<ZodTypeProvider>()
  const snapshot = (communeCode?: string) => getCalendarSnapshot(deps.db, { provinceCode: deps.provinceCode, communeCode })

  app.get(
    '/api/v1/calendar/days-off',
    {
      schema: {
        tags: TAGS,
        summary: 'Days off of a year (holidays, weekend days in a break, compensatory and swapped days, closures), sorted by date',
        description: 'With unit=CODE the closures declared for that commune are included. Years without an announced schedule are computed by the DOMAIN A3 rules and marked provisional.',
        querystring: DaysOffQuery,
        response: { 200: z.array(DayOffDto), 400: ErrorDto },
      },
    },
    async (req) => daysOffOf(await snapshot(req.query.unit), req.query.year),
  )

  app.get(
    '/api/v1/calendar/makeup-workdays',
    {
      schema: {
        tags: TAGS,
        summary: 'Make-up working days (Saturdays worked to repay a swapped day off) of a year',
        querystring: YearQuery,
        response: { 200: z.array(MakeupDayDto), 400: ErrorDto },
      },
    },
    async (req) => makeupWorkdaysOf(await snapshot(), req.query.year),
  )

  app.get(
    '/api/v1/calendar/due',
    {
      schema: {
        tags: TAGS,
        summary: 'Due time of a limit counted from a valid receipt (DOMAIN A4), with its explanation',
        description: 'unit: working_days | calendar_days | working_hours | same_day (amount=0). receivedAt without an offset is read as Vietnam time.',
        querystring: DueQuery,
        response: { 200: DueDto, 400: ErrorDto },
      },
    },
    async (req) => {
      const cal = await snapshot(req.query.commune)
      const r = computeDue(cal, { receivedAt: req.query.receivedAt, amount: req.query.amount, unit: req.query.unit })
      return { dueAt: formatVnIso(r.dueAt.getTime()), explanation: r.explanation }
    },
  )

  app.get(
    '/api/v1/calendar/working-days',
    {
      schema: {
        tags: TAGS,
        summary: 'Number of working days from one date to another, both included',
        querystring: WorkingDaysQuery,
        response: { 200: CountDto, 400: ErrorDto },
      },
    },
    async (req) => ({ count: countWorkingDaysBetween(await snapshot(req.query.commune), req.query.from, req.query.to) }),
  )
}
