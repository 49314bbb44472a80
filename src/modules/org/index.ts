/** Organisation: administrative units, the 2025 merger lineage, and agencies. */

/** An agency (cơ quan): UBND, department, public administration service centre… */
export type { Agency } from './org.repo.js'
/** An administrative unit (current or former) with its parent's code and name. */
export type { AdminUnit, LinkedUnit } from './org.repo.js'
/** Unit and agency vocabularies. */
export type { AgencyKind, AgencyLevel, LineagePortion, UnitLevel, UnitType } from './org.tables.js'
/** The result of mapping a pre-2025 address to the current units. */
export type { AddressMapping, FormerAddressInput } from './org.service.js'

/**
 * The unit with this GSO code valid on `at` ('YYYY-MM-DD'), or the current one when `at` is
 * omitted; undefined if none. Codes were reused in 2025, so the era matters: '32002' is
 * Phường An Xuyên today and was Phường 2 (Thành phố Cà Mau) until 2025-06-30.
 */
export { findUnitByCode as findUnit } from './org.repo.js'
/** The current commune-level units of a province (default Cà Mau, 96), by code. */
export { listCurrentCommunes } from './org.repo.js'
/** The units a former unit (by id, e.g. 'h-32023') went into, each whole or part. */
export { findSuccessors } from './org.repo.js'
/** The former units a unit (by id, e.g. 'c96-32002') was formed from, each whole or part. */
export { findPredecessors } from './org.repo.js'
/** The agency with this id (e.g. 'ttpvhcc-xa-32002'), or undefined. */
export { findAgencyById } from './org.repo.js'
/** The agency with this electronic code (mã định danh, e.g. '000.00.00.H12'), or undefined. */
export { findAgencyByCode } from './org.repo.js'
/** All agencies valid now, provincial first, then by code. */
export { listAgencies } from './org.repo.js'
/** The org module: JSON API under /api/v1/org and the public pages /don-vi. */
export { orgModule } from './org.routes.js'
/** Loads provinces, communes, former units, lineage and agencies from data/org; idempotent. */
export { seedOrganisation } from './org.seed.js'
/** The day the merged provinces and the two-tier local government took effect, and the day before. */
export { LAST_DAY_BEFORE_REFORM, REFORM_DATE } from './org.reference.js'
/** Errors of the org module: ORG.UNIT_NOT_FOUND, ORG.AGENCY_NOT_FOUND, ORG.ADDRESS_NOT_FOUND. */
export { AddressNotFoundError, AgencyNotFoundError, UnitNotFoundError } from './org.service.js'
/**
 * Maps a pre-2025 address (commune, district, province, or one line; codes or names, accents
 * optional) to every current commune it may now belong to; throws AddressNotFoundError.
 */
export { mapFormerAddress } from './org.service.js'
