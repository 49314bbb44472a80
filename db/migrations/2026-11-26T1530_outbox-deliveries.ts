import { sql, type Kysely } from 'kysely'

// The outbox dispatcher (issue 7 §1): one delivery record per subscriber and event, delivered
// after commit, in order per aggregate, with retries, a lease for crashed workers and dead letters.
export async function up(db: Kysely<unknown>): Promise<void> {
  // The writing transaction's id. A sequence id is taken at insert time but becomes visible at
  // commit, so a reader moving a cursor by id can pass an event whose transaction commits later.
  // Transactions older than the snapshot's xmin are all finished: reading by (tx_id, id) below
  // that horizon never skips one. The default fills it without changing the writers.
  await sql`ALTER TABLE outbox_events ADD COLUMN tx_id xid8 NOT NULL DEFAULT pg_current_xact_id()`.execute(db)
  await sql`CREATE INDEX outbox_events_tx_idx ON outbox_events (tx_id, id)`.execute(db)

  // How far the fan-out has read for each subscriber, in (tx_id, id) order.
  await sql`
    CREATE TABLE outbox_dispatch_cursors (
      subscriber text PRIMARY KEY,
      last_tx_id xid8 NOT NULL DEFAULT '0',
      last_event_id bigint NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db)

  await sql`
    CREATE TABLE outbox_deliveries (
      subscriber text NOT NULL,
      event_id bigint NOT NULL REFERENCES outbox_events(id),
      aggregate_type text NOT NULL,
      aggregate_id text NOT NULL,
      topic text NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
      -- Claims so far (a claim by a worker that died counts), and failed attempts reported.
      attempts integer NOT NULL DEFAULT 0,
      failures integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL,
      leased_until timestamptz,
      leased_by text,
      last_error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      delivered_at timestamptz,
      dead_at timestamptz,
      PRIMARY KEY (subscriber, event_id)
    )
  `.execute(db)
  // The undelivered events of one aggregate, in order: a delivery is claimable only at the head.
  await sql`CREATE INDEX outbox_deliveries_open_idx ON outbox_deliveries (subscriber, aggregate_type, aggregate_id, event_id) WHERE status <> 'delivered'`.execute(db)
  await sql`CREATE INDEX outbox_deliveries_due_idx ON outbox_deliveries (subscriber, next_attempt_at, event_id) WHERE status = 'pending'`.execute(db)
  await sql`CREATE INDEX outbox_deliveries_dead_idx ON outbox_deliveries (subscriber, dead_at) WHERE status = 'dead'`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE outbox_deliveries`.execute(db)
  await sql`DROP TABLE outbox_dispatch_cursors`.execute(db)
  await sql`DROP INDEX outbox_events_tx_idx`.execute(db)
  await sql`ALTER TABLE outbox_events DROP COLUMN tx_id`.execute(db)
}
