import type { VidanModule } from '../../shared/module.js'

/** Organisation API and pages (units, lineage, agencies, address mapper). */
export const orgModule: VidanModule = {
  name: 'org',
  register() {},
}
