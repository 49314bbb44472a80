import crypto from 'node:crypto'
import { sql } from 'kysely'
import type { Clock } from '../../shared/clock.js'
import { inTransaction, type Db, type Trx } from '../../shared/database.js'
import { ConcurrentUpdateError, DomainError, ValidationError } from '../../shared/errors.js'
import { retryDelayMs } from '../../shared/backoff.js'
import { getDossier, type PersonJson } from '../dossiers/index.js'
import { findCitizenByIdentityNumber } from '../identity/index.js'
import { findAgencyById } from '../org/index.js'
import { SendError, type EmailSender } from './notify.channels.js'
import { SmsUnavailableError, type SmsSender } from './sms.gateway.js'
import type { Channel, NotificationStatus } from './notify.tables.js'
import { renderMessage, TEMPLATE_OF_TOPIC, type TemplateKey } from './notify.templates.js'

export interface NotifyDeps {
  db: Db
  clock: Clock
  /** Public base URL for tracking links in messages. */
  publicUrl: string
  /** Unset: the channel is off and its messages are recorded as skipped. */
  email?: EmailSender | undefined
  sms?: SmsSender | undefined
  /** Attempts before a message is given up as failed. */
  maxAttempts?: number
  /** Jitter source for retry delays (tests pass a fixed one). */
  random?: () => number
}

const MAX_ATTEMPTS = 8
/** How long a claimed message stays claimed: a sender that dies leaves it to be sent again after this. */
const CLAIM_LEASE_MS = 2 * 60_000

/** The part of a dossier event payload notify reads (written by dossiers' outbox). */
interface DossierEventPayload {
  dossierId: string
  code: string | null
  reason: string | null
  appointmentAt: string | null
  data?: { missing?: unknown } | null
}

/** The dossier events that make a message. */
export const NOTIFY_TOPICS: readonly string[] = Object.keys(TEMPLATE_OF_TOPIC)

/**
 * Plans the messages of one dossier event (the outbox dispatcher hands each event once, and again
 * after a crash): one row per template and channel, in one transaction; the unique key makes a
 * repeated event add nothing.
 */
export async function planNotifications(deps: NotifyDeps, event: { id: number; topic: string; payload: unknown }): Promise<void> {
  const template = TEMPLATE_OF_TOPIC[event.topic]
  if (!template) return
  await inTransaction(deps.db, (trx) => planEvent(trx, deps, event.id, template, event.payload as DossierEventPayload))
}

async function planEvent(trx: Trx, deps: NotifyDeps, eventId: number, template: TemplateKey, p: DossierEventPayload): Promise<void> {
  const d = await getDossier(trx, p.dossierId)
  const applicant = d.applicant as PersonJson
  const code = p.code ?? d.code
  if (!code) return // not yet received: nothing to announce under a code
  const citizen = applicant.idNumber ? await findCitizenByIdentityNumber(trx, applicant.idNumber) : undefined
  const prefs = citizen ? await trx.selectFrom('notificationPreferences').selectAll().where('citizenId', '=', citizen.id).executeTakeFirst() : undefined
  const agency = await findAgencyById(trx, d.competentAgencyId)
  const missing = Array.isArray(p.data?.missing) ? p.data.missing.filter((m): m is string => typeof m === 'string') : []
  const msg = renderMessage(template, {
    code,
    procedureName: d.procedureName,
    applicantName: applicant.fullName,
    agencyName: agency?.name ?? d.competentAgencyId,
    appointmentAt: p.appointmentAt ? new Date(p.appointmentAt) : null,
    missing,
    reason: p.reason,
    decision: d.decision,
    trackingUrl: `${deps.publicUrl.replace(/\/+$/, '')}/tra-cuu?ma=${encodeURIComponent(code)}`,
  })
  const now = deps.clock.now()
  const email = prefs?.email ?? applicant.email ?? null
  const phone = citizen?.phone ?? applicant.phone ?? null
  const row = (channel: Channel, recipient: string | null, body: string, status: NotificationStatus, skipReason: string | null = null) => ({
    id: crypto.randomUUID(),
    eventId,
    dossierId: d.id,
    dossierCode: code,
    citizenId: citizen?.id ?? null,
    template,
    channel,
    recipient: status === 'skipped' ? null : recipient,
    subject: msg.subject,
    body,
    status,
    skipReason,
    nextAttemptAt: status === 'pending' ? now : null,
    createdAt: now,
    sentAt: status === 'delivered' ? now : null,
  })
  const outward = (channel: 'email' | 'sms', recipient: string | null, enabled: boolean, configured: boolean, body: string) =>
    !recipient ? row(channel, null, body, 'skipped', 'no_address') : !enabled ? row(channel, null, body, 'skipped', 'opted_out') : !configured ? row(channel, null, body, 'skipped', 'channel_off') : row(channel, recipient, body, 'pending')
  await trx
    .insertInto('notifications')
    .values([
      row('in_app', null, msg.text, 'delivered'),
      outward('email', email, prefs?.emailEnabled ?? true, deps.email !== undefined, msg.text),
      outward('sms', phone, prefs?.smsEnabled ?? true, deps.sms !== undefined, msg.sms),
    ])
    .onConflict((oc) => oc.columns(['eventId', 'template', 'channel']).doNothing())
    .execute()
}

/**
 * Sends the messages that are due: claims a batch (moving their next attempt past a lease, so a
 * second sender or a crashed one never double-sends within the lease), sends each outside any
 * transaction, and records the outcome: sent, retried later with exponential backoff and jitter,
 * or failed (a permanent refusal, or too many attempts). At-least-once: a sender killed between
 * sending and recording sends again after the lease.
 */
export async function sendDueNotifications(deps: NotifyDeps, batch = 20): Promise<{ sent: number; retried: number; failed: number }> {
  const now = deps.clock.now()
  const leaseUntil = new Date(now.getTime() + CLAIM_LEASE_MS)
  const claimed = await sql<{ id: string; channel: 'email' | 'sms'; recipient: string; subject: string; body: string; attempts: number }>`
    UPDATE notifications SET next_attempt_at = ${leaseUntil}, attempts = attempts + 1
    WHERE id IN (
      SELECT id FROM notifications WHERE status = 'pending' AND next_attempt_at <= ${now}
      ORDER BY next_attempt_at, created_at LIMIT ${batch} FOR UPDATE SKIP LOCKED)
    RETURNING id, channel, recipient, subject, body, attempts`.execute(deps.db)
  const out = { sent: 0, retried: 0, failed: 0 }
  const max = deps.maxAttempts ?? MAX_ATTEMPTS
  for (const m of claimed.rows) {
    try {
      const r = m.channel === 'email' ? await deps.email!.send({ to: m.recipient, subject: m.subject, text: m.body }) : await sendSms(deps.sms!, m.id, m.recipient, m.body)
      await deps.db.updateTable('notifications').set({ status: 'sent', sentAt: deps.clock.now(), providerMessageId: r.messageId, nextAttemptAt: null, lastError: null }).where('id', '=', m.id).execute()
      out.sent++
    } catch (err) {
      const permanent = err instanceof SendError && err.permanent
      const reason = err instanceof SendError ? err.message : 'send error'
      if (permanent || m.attempts >= max) {
        await deps.db.updateTable('notifications').set({ status: 'failed', lastError: reason, nextAttemptAt: null }).where('id', '=', m.id).execute()
        out.failed++
      } else {
        await deps.db.updateTable('notifications').set({ lastError: reason, nextAttemptAt: new Date(deps.clock.now().getTime() + retryDelayMs(m.attempts, deps.random ?? Math.random)) }).where('id', '=', m.id).execute()
        out.retried++
      }
    }
  }
  return out
}

/** An SMS through the gateway; the gateway's refusals (bad number, bad key) are permanent, its outages are retried. */
async function sendSms(sms: SmsSender, id: string, to: string, text: string): Promise<{ messageId: string }> {
  try {
    // The notification id as the gateway's request id: a resend after a crash is not a second SMS.
    return await sms.send(to, text, { requestId: id, type: 'notice' })
  } catch (err) {
    if (err instanceof DomainError) throw new SendError(err.code, !(err instanceof SmsUnavailableError))
    throw err
  }
}

export interface InAppMessage {
  id: string
  dossierId: string
  dossierCode: string | null
  template: string
  subject: string
  body: string
  createdAt: Date
  readAt: Date | null
}

/** The in-app messages of a citizen, newest first. */
export async function inAppMessagesOf(db: Db, citizenId: string, limit = 100): Promise<InAppMessage[]> {
  return db
    .selectFrom('notifications')
    .select(['id', 'dossierId', 'dossierCode', 'template', 'subject', 'body', 'createdAt', 'readAt'])
    .where('citizenId', '=', citizenId)
    .where('channel', '=', 'in_app')
    .orderBy('createdAt', 'desc')
    .orderBy('eventId', 'desc')
    .limit(limit)
    .execute()
}

/** The in-app messages about one dossier (its "my dossiers" page), oldest first. */
export async function inAppMessagesOfDossier(db: Db, dossierId: string): Promise<InAppMessage[]> {
  return db
    .selectFrom('notifications')
    .select(['id', 'dossierId', 'dossierCode', 'template', 'subject', 'body', 'createdAt', 'readAt'])
    .where('dossierId', '=', dossierId)
    .where('channel', '=', 'in_app')
    .orderBy('eventId')
    .execute()
}

/** Marks a citizen's message read; another citizen's message id changes nothing (and says so). */
export async function markRead(db: Db, clock: Clock, citizenId: string, messageId: string): Promise<boolean> {
  const r = await db.updateTable('notifications').set({ readAt: clock.now() }).where('id', '=', messageId).where('citizenId', '=', citizenId).where('channel', '=', 'in_app').where('readAt', 'is', null).executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

/** Delivery of every message about a dossier, for the back office (recipients masked by the caller). */
export async function deliveriesOfDossier(db: Db, dossierId: string) {
  return db
    .selectFrom('notifications')
    .select(['id', 'template', 'channel', 'recipient', 'status', 'skipReason', 'attempts', 'lastError', 'createdAt', 'sentAt'])
    .where('dossierId', '=', dossierId)
    .orderBy('eventId')
    .orderBy('channel')
    .execute()
}

export interface Preferences {
  emailEnabled: boolean
  smsEnabled: boolean
  email: string | null
  version: number
}

export async function preferencesOf(db: Db, citizenId: string): Promise<Preferences> {
  const p = await db.selectFrom('notificationPreferences').select(['emailEnabled', 'smsEnabled', 'email', 'version']).where('citizenId', '=', citizenId).executeTakeFirst()
  return p ?? { emailEnabled: true, smsEnabled: true, email: null, version: 0 }
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{2,}$/

/**
 * Saves a citizen's channel choices under an optimistic version (0 = never saved): a stale form
 * answers 409 instead of overwriting a newer choice. In-app messages cannot be turned off.
 */
export async function savePreferences(db: Db, clock: Clock, citizenId: string, input: { emailEnabled: boolean; smsEnabled: boolean; email: string; expectedVersion: number }): Promise<Preferences> {
  const email = input.email.trim()
  if (email && (email.length > 254 || !EMAIL.test(email))) throw new ValidationError('NOTIFY.EMAIL_INVALID', 'Địa chỉ thư điện tử không hợp lệ.', { fields: { email: ['Địa chỉ thư điện tử không hợp lệ (ví dụ: ten@example.vn).'] } })
  const values = { emailEnabled: input.emailEnabled, smsEnabled: input.smsEnabled, email: email || null, updatedAt: clock.now() }
  const saved =
    input.expectedVersion === 0
      ? await db.insertInto('notificationPreferences').values({ citizenId, ...values }).onConflict((oc) => oc.column('citizenId').doNothing()).returning(['emailEnabled', 'smsEnabled', 'email', 'version']).executeTakeFirst()
      : await db
          .updateTable('notificationPreferences')
          .set({ ...values, version: sql`version + 1` })
          .where('citizenId', '=', citizenId)
          .where('version', '=', input.expectedVersion)
          .returning(['emailEnabled', 'smsEnabled', 'email', 'version'])
          .executeTakeFirst()
  if (!saved) throw new ConcurrentUpdateError('notification_preferences', citizenId)
  return saved
}

/** What notify holds about one citizen, for their own data export: channel choices and every message sent about their dossiers (with its recipient and outcome). */
export async function notifyPersonalData(db: Db, citizenId: string) {
  const [preferences, messages] = await Promise.all([
    db.selectFrom('notificationPreferences').selectAll().where('citizenId', '=', citizenId).executeTakeFirst(),
    db
      .selectFrom('notifications')
      .select(['dossierCode', 'template', 'channel', 'recipient', 'subject', 'body', 'status', 'createdAt', 'sentAt', 'readAt'])
      .where('citizenId', '=', citizenId)
      .orderBy('createdAt')
      .orderBy('eventId')
      .execute(),
  ])
  return { preferences: preferences ?? null, messages }
}
