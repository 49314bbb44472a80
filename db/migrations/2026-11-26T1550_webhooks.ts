import { sql, type Kysely } from 'kysely'

// Webhooks for integrators (issue 7 §4): subscriptions to dossier status events, per agency or
// per procedure; one delivery row per subscription and event (unique: a replayed event is never
// delivered twice as a new delivery), holding the exact body sent, its attempts and outcome (the
// delivery log). The signing secret is kept to sign with; it is shown once, when created.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE webhook_subscriptions (
      id uuid PRIMARY KEY,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      url text NOT NULL,
      secret text NOT NULL,
      agency_id text,
      procedure_code text,
      topics text[] NOT NULL,
      active boolean NOT NULL DEFAULT true,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL,
      deactivated_at timestamptz,
      version integer NOT NULL DEFAULT 1
    )
  `.execute(db)
  await sql`
    CREATE TABLE webhook_deliveries (
      id uuid PRIMARY KEY,
      subscription_id uuid NOT NULL REFERENCES webhook_subscriptions(id),
      event_id bigint NOT NULL,
      topic text NOT NULL,
      dossier_id uuid NOT NULL,
      body text NOT NULL,
      status text NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz,
      last_status_code integer,
      last_error text,
      created_at timestamptz NOT NULL,
      delivered_at timestamptz,
      UNIQUE (subscription_id, event_id)
    )
  `.execute(db)
  await sql`CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`.execute(db)
  await sql`CREATE INDEX webhook_deliveries_order ON webhook_deliveries (subscription_id, dossier_id, event_id) WHERE status <> 'delivered'`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE webhook_deliveries`.execute(db)
  await sql`DROP TABLE webhook_subscriptions`.execute(db)
}
