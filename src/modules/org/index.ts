/** Organisation: administrative units, the 2025 merger lineage, and agencies. */
export type { Agency } from './org.repo.js'
export { findAgencyByCode, findAgencyById, listAgencies } from './org.repo.js'
export { orgModule } from './org.routes.js'
export { seedOrganisation } from './org.seed.js'
