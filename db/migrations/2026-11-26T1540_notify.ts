import { sql, type Kysely } from 'kysely'

// Notifications to applicants (DESIGN: notify): one row per message per channel, planned from a
// dossier event in the transaction that consumes it (unique per event, template and channel, so a
// replayed event never sends twice), then sent by a job that records the outcome. In-app
// messages are rows of channel 'in_app', shown in "my dossiers". Recipients (e-mail, phone) are
// personal data: stored for sending and proof, never logged. Per-citizen channel preferences.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE notifications (
      id uuid PRIMARY KEY,
      event_id bigint NOT NULL,
      dossier_id uuid NOT NULL,
      dossier_code text,
      -- The applicant's citizen account when they had one at the time (whose "my messages" show it).
      citizen_id text REFERENCES citizens(id),
      template text NOT NULL,
      channel text NOT NULL CHECK (channel IN ('email', 'sms', 'in_app')),
      recipient text,
      subject text NOT NULL,
      body text NOT NULL,
      status text NOT NULL CHECK (status IN ('pending', 'sent', 'delivered', 'failed', 'skipped')),
      skip_reason text,
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz,
      last_error text,
      provider_message_id text,
      created_at timestamptz NOT NULL,
      sent_at timestamptz,
      read_at timestamptz,
      UNIQUE (event_id, template, channel),
      CHECK (channel = 'in_app' OR status = 'skipped' OR recipient IS NOT NULL)
    )
  `.execute(db)
  await sql`CREATE INDEX notifications_dossier ON notifications (dossier_id, created_at)`.execute(db)
  await sql`CREATE INDEX notifications_citizen ON notifications (citizen_id, created_at) WHERE channel = 'in_app'`.execute(db)
  await sql`CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE status = 'pending'`.execute(db)
  await sql`
    CREATE TABLE notification_preferences (
      citizen_id text PRIMARY KEY REFERENCES citizens(id),
      email_enabled boolean NOT NULL,
      sms_enabled boolean NOT NULL,
      email text,
      version integer NOT NULL DEFAULT 1,
      updated_at timestamptz NOT NULL
    )
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE notification_preferences`.execute(db)
  await sql`DROP TABLE notifications`.execute(db)
}
