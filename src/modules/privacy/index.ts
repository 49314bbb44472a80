/** Privacy: the citizen's rights over their personal data (DOMAIN B §10). For now: "download all my data". */

/** The module: /cong-dan/du-lieu-cua-toi and /api/v1/citizen/me/export. */
export { privacyModule } from './privacy.routes.js'
/** Everything held about one citizen, gathered through each module's index (the export's content). */
export { exportPersonalData, EXPORT_FORMAT, type PersonalDataExport } from './privacy.service.js'
