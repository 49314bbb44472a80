import { setupPostgres } from './global-setup-shared.js'

export default setupPostgres
