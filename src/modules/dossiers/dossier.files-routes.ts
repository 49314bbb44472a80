import type { FastifyInstance, FastifyReply } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { StaffPrincipal } from '../../shared/auth.js'
import { ValidationError } from '../../shared/errors.js'
import type { ModuleDeps } from '../../shared/module.js'
import { contentDisposition } from '../documents/index.js'
import { checkMayAttach, listFilesFor, OFFICER_FILE_KINDS, openDossierFile, attachFilesTo, prepareDossierFiles, receiveUpload, type DossierFileView, type FilesDeps } from './dossier.files.js'
import { runIdempotent } from './dossier.idempotency.js'

const ErrorDto = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) })

export const FileDto = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  mediaType: z.string(),
  sizeBytes: z.number(),
  sha256: z.string(),
  legalCopy: z.boolean(),
  scanStatus: z.string(),
  attachedAt: z.string(),
  attachedBy: z.object({ id: z.string().nullable(), name: z.string() }),
  eventSeq: z.number(),
  downloadUrl: z.string(),
})

const withUrl = (dossierId: string) => (f: DossierFileView) => ({ ...f, downloadUrl: `/api/v1/dossiers/${dossierId}/files/${f.id}` })

// The text fields of the multipart body come before the files (the parser reads them first).
const UploadFields = z.object({
  kind: z.enum(OFFICER_FILE_KINDS).describe('scan: scanned papers; result: result documents'),
  legalCopy: z.enum(['true', 'false']).optional().describe('result only: the file is a legally valid electronic copy'),
  expectedVersion: z.coerce.number().int().min(1).optional().describe('the dossier version you saw; 409 when it changed'),
  file: z
    .array(z.string().meta({ format: 'binary' }))
    .optional()
    .describe('one or more file parts, after the fields: PDF, JPEG or PNG by content, within the size and count limits'),
})
const UploadedDto = z.object({ dossierId: z.string(), version: z.number(), files: z.array(FileDto) })
const Params = z.object({ id: z.string().uuid() })
const binary = { schema: z.string().meta({ format: 'binary' }) }
const FileBody = { description: 'The file, as stored', content: { 'application/pdf': binary, 'image/jpeg': binary, 'image/png': binary } }
const FileParams = z.object({ id: z.string().uuid(), fileId: z.string().uuid() })

/** Sends a stored file as a download with its own type and name, never sniffed. */
export function sendFile(reply: FastifyReply, f: { file: DossierFileView; body: unknown }) {
  return reply
    .type(f.file.mediaType)
    .header('content-disposition', contentDisposition(f.file.name))
    .header('x-content-type-options', 'nosniff')
    .header('x-content-sha256', f.file.sha256)
    .header('cache-control', 'private, no-store')
    .send(f.body)
}

/** JSON API of a dossier's files: upload (multipart), list, download. */
export function registerDossierFileRoutes(appIn: FastifyInstance, m: ModuleDeps, deps: FilesDeps) {
  const app = appIn.withTypeProvider<ZodTypeProvider>()
  const staff = m.guards.staff()
  const me = (req: { principal?: unknown }) => req.principal as StaffPrincipal

  app.post(
    '/api/v1/dossiers/:id/files',
    {
      schema: {
        tags: ['dossiers'],
        summary:
          'Attach files to a dossier (multipart/form-data: the fields, then one or more `file` parts). Scans by the counter or handling officer at intake and during processing; results by the handling officer or a leader until the result is returned. The type is read from the content (PDF, JPEG, PNG); size and count limits apply; each file is stored once by its SHA-256. One `attach_file` event records them. Accepts an Idempotency-Key header.',
        consumes: ['multipart/form-data'],
        params: Params,
        headers: z.object({ 'idempotency-key': z.string().min(8).max(100).optional() }),
        body: UploadFields,
        response: { 201: UploadedDto, 400: ErrorDto, 403: ErrorDto, 404: ErrorDto, 409: ErrorDto, 503: ErrorDto },
      },
      config: { multipart: true },
      preHandler: staff,
    },
    async (req, reply) => {
      if (!req.isMultipart()) throw new ValidationError('DOCUMENT.MULTIPART_REQUIRED', 'Tệp phải được gửi dạng multipart/form-data.')
      const { kind, expectedVersion } = req.body
      const legalCopy = kind === 'result' && req.body.legalCopy === 'true'
      // Refused before the upload is read when this officer may not attach this kind now.
      await checkMayAttach(m.db, me(req), req.params.id, kind)
      const files = await prepareDossierFiles(deps, req.params.id, await receiveUpload(req, deps), { required: true })
      const request = { kind, legalCopy, expectedVersion, files: files.map((f) => ({ name: f.name, sha256: f.sha256 })) }
      const r = await runIdempotent(m.db, m.clock, { scope: `files:${me(req).accountId}:${req.params.id}`, key: req.headers['idempotency-key'], request }, async (trx) => {
        const done = await attachFilesTo(trx, deps, me(req), req.params.id, kind, files, { expectedVersion, legalCopy })
        return { statusCode: 201, body: { dossierId: req.params.id, version: done.dossier.version, files: done.files.map(withUrl(req.params.id)) } }
      })
      return reply.status(201).header('idempotent-replayed', String(r.replayed)).send(r.body as z.infer<typeof UploadedDto>)
    },
  )

  app.get(
    '/api/v1/dossiers/:id/files',
    {
      schema: {
        tags: ['dossiers'],
        summary: "A dossier's files (name, kind, size, type, hash, who attached them and when), for officers of the agencies involved and administrators; `mayAttach` lists the kinds you may attach now",
        params: Params,
        response: { 200: z.object({ items: z.array(FileDto), mayAttach: z.array(z.enum(OFFICER_FILE_KINDS)) }), 403: ErrorDto, 404: ErrorDto },
      },
      preHandler: staff,
    },
    async (req) => {
      const r = await listFilesFor(m.db, me(req), req.params.id)
      return { items: r.files.map(withUrl(req.params.id)), mayAttach: r.mayAttach }
    },
  )

  app.get(
    '/api/v1/dossiers/:id/files/:fileId',
    {
      schema: {
        tags: ['dossiers'],
        summary: 'Download one file of a dossier with its media type and name (Content-Disposition: attachment; nosniff; x-content-sha256). Logged as an opening of the dossier.',
        params: FileParams,
        response: { 200: FileBody, 403: ErrorDto, 404: ErrorDto },
      },
      preHandler: staff,
    },
    async (req, reply) => sendFile(reply, await openDossierFile(deps, me(req), req.params.id, req.params.fileId, 'api')),
  )
}
