import type { VidanModule } from '../../shared/module.js'
import { registerCalendarPages } from './calendar.pages.js'
import { registerCalendarApi } from './calendar.routes.js'

/** The working calendar: public API, the public "Lịch làm việc" page and the administrator page. */
export const calendarModule: VidanModule = {
  name: 'calendar',
  register(app, m) {
    const deps = { db: m.db, clock: m.clock, provinceCode: m.provinceCode }
    registerCalendarApi(app, deps)
    registerCalendarPages(app, deps, m.guards)
  },
}
