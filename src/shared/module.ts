import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify'
import type { StaffRole } from './auth.js'
import type { Clock } from './clock.js'
import type { Db } from './database.js'
import type { OutboxSubscriber } from './outbox-dispatcher.js'

/** Guards the composition root hands to every module's routes (implemented by identity). */
export interface Guards {
  /** A staff session is required; with roles, one of them. Pages redirect to login, APIs answer 401. */
  staff(...roles: StaffRole[]): preHandlerAsyncHookHandler
  /**
   * A citizen session is required (login through the identity provider); with `{ level: 2 }`, one
   * verified at VNeID level 2. Pages redirect to the citizen login, APIs answer 401; a staff session is refused (403).
   */
  citizen(opts?: { level?: 2 }): preHandlerAsyncHookHandler
}

/** Limits on uploaded files (config `VIDAN_UPLOAD_*`, `VIDAN_CLAMD_ADDRESS`), enforced while the upload streams in. */
export interface UploadSettings {
  /** Largest accepted file, in bytes. */
  maxFileBytes: number
  /** Most files one dossier may carry (all kinds together). */
  maxFilesPerDossier: number
  /** Most file bytes one request may bring (what an upload may hold in memory). */
  maxRequestBytes: number
  /** A clamd daemon to scan uploads with (INSTREAM over TCP); unset: files are recorded "not scanned". */
  clamd?: { host: string; port: number; timeoutMs: number } | undefined
}

export interface ModuleDeps {
  db: Db
  clock: Clock
  guards: Guards
  /** Province GSO code this deployment serves (e.g. '96'). */
  provinceCode: string
  mode: 'demo' | 'production'
  /** Public base URL (links and QR codes printed on forms). */
  publicUrl: string
  uploads: UploadSettings
}

/** A background job `vidan serve` runs on a timer. */
export interface Job {
  name: string
  everyMs: number
  run(): Promise<unknown>
}

/** What a module gives the composition root. */
export interface VidanModule {
  name: string
  /** Registers the module's JSON API (under /api/v1) and HTML pages. */
  register(app: FastifyInstance, deps: ModuleDeps): Promise<void> | void
  /** Background jobs (deadline clock, outbox consumers). */
  jobs?(deps: ModuleDeps): Job[]
  /** Reactions to outbox events, delivered after commit by the outbox dispatcher (src/shared/outbox-dispatcher.ts). */
  subscribers?(deps: ModuleDeps): OutboxSubscriber[]
}
