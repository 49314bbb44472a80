import type { FastifyInstance } from 'fastify'
import type { CitizenPrincipal } from '../../shared/auth.js'
import { tr } from '../../shared/i18n.js'
import type { ModuleDeps, VidanModule } from '../../shared/module.js'
import { MyDataPage } from './privacy.pages.js'
import { exportPersonalData } from './privacy.service.js'

export const MY_DATA_PATH = '/cong-dan/du-lieu-cua-toi'

/** Personal data: the citizen's "download all my data" (page and JSON). */
export const privacyModule: VidanModule = {
  name: 'privacy',
  register(app: FastifyInstance, m: ModuleDeps) {
    const citizen = m.guards.citizen()
    app.get(MY_DATA_PATH, { schema: { hide: true }, preHandler: citizen }, async (req, reply) => {
      const data = await exportPersonalData(m.db, (req.principal as CitizenPrincipal).citizenId, m.clock.now())
      reply.header('cache-control', 'no-store')
      return reply.page({ title: tr(req.lang, 'Dữ liệu của tôi', 'My data') }, <MyDataPage lang={req.lang} data={data} />)
    })
    app.get(
      '/api/v1/citizen/me/export',
      { schema: { tags: ['citizen'], summary: 'Everything Vì Dân holds about the signed-in citizen (JSON download; identity number unmasked, own data only)' }, preHandler: citizen },
      async (req, reply) => {
        const data = await exportPersonalData(m.db, (req.principal as CitizenPrincipal).citizenId, m.clock.now())
        return reply
          .header('cache-control', 'no-store')
          .header('content-disposition', `attachment; filename="du-lieu-cua-toi-${m.clock.now().toISOString().slice(0, 10)}.json"`)
          .type('application/json; charset=utf-8')
          .send(JSON.stringify(data, null, 2))
      },
    )
  },
}
