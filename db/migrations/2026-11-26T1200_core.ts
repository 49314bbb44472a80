import { sql, type Kysely } from 'kysely'

// Core: extensions, the accent-folding function used by every search, and the outbox.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS unaccent`.execute(db)
  await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db)
  await sql`CREATE EXTENSION IF NOT EXISTS citext`.execute(db)
  // unaccent() is STABLE (it reads a dictionary), so it cannot feed a generated column or an
  // index. This wrapper names the dictionary explicitly and is declared IMMUTABLE; đ/Đ are
  // folded by hand because unaccent's rules leave them on some builds.
  await sql`
    CREATE OR REPLACE FUNCTION vn_fold(input text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT lower(translate(public.unaccent('public.unaccent'::regdictionary, input), 'đĐ', 'dD')) $$
  `.execute(db)

  // Domain events written in the same transaction as the change they describe, delivered
  // after commit by the background jobs. Append-only: consumers track their own progress.
  await sql`
    CREATE TABLE outbox_events (
      id bigserial PRIMARY KEY,
      topic text NOT NULL,
      aggregate_type text NOT NULL,
      aggregate_id text NOT NULL,
      payload jsonb NOT NULL,
      actor_id text,
      occurred_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db)
  await sql`CREATE INDEX outbox_events_aggregate_idx ON outbox_events (aggregate_type, aggregate_id, id)`.execute(db)
  await sql`CREATE INDEX outbox_events_topic_idx ON outbox_events (topic, id)`.execute(db)

  // How far each in-process consumer of the outbox has read (e.g. deadline recomputation).
  await sql`
    CREATE TABLE outbox_cursors (
      consumer text PRIMARY KEY,
      last_event_id bigint NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE outbox_cursors`.execute(db)
  await sql`DROP TABLE outbox_events`.execute(db)
  await sql`DROP FUNCTION vn_fold(text)`.execute(db)
}
