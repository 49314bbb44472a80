import type { Generated } from 'kysely'
import type { ScheduleKind } from './calendar.schedule.js'

export interface CalendarSchedulesTable {
  year: number
  source: string
  reason: string
  loadedBy: string | null
  loadedAt: Date
  version: Generated<number>
}

export interface CalendarDaysTable {
  /** 'YYYY-MM-DD' (dates are read back as strings). */
  date: string
  year: number
  name: string
  kind: ScheduleKind
  note: Generated<string>
  source: Generated<string>
}

export interface CalendarClosuresTable {
  id: string
  provinceCode: string
  dateFrom: string
  dateTo: string
  /** JSON array of commune codes; empty for the whole province. */
  communes: unknown
  reason: string
  declaredBy: string | null
  declaredAt: Date
  cancelledBy: Generated<string | null>
  cancelledAt: Generated<Date | null>
  cancelReason: Generated<string | null>
}

export interface CalendarSettingsTable {
  provinceCode: string
  /** JSON [["07:00","11:30"],["13:30","17:00"]]. */
  windows: unknown
  sameDayCutoff: string
  updatedBy: string | null
  updatedAt: Date
  version: Generated<number>
}

export interface CalendarChangesTable {
  id: Generated<number>
  /** Null for national data (the yearly schedules). */
  provinceCode: string | null
  action: string
  year: number | null
  dateFrom: string | null
  dateTo: string | null
  actorId: string | null
  reason: string
  details: unknown
  occurredAt: Date
}

declare module '../../shared/database.js' {
  interface Database {
    calendarSchedules: CalendarSchedulesTable
    calendarDays: CalendarDaysTable
    calendarClosures: CalendarClosuresTable
    calendarSettings: CalendarSettingsTable
    calendarChanges: CalendarChangesTable
  }
}
