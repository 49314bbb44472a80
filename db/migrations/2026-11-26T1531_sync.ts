import { sql, type Kysely } from 'kysely'

// National Public Service Portal sync (issue 7 §2, DOMAIN B §12.2): which dossiers the portal
// knows and under which code, when each event reached it (766 indicator 1.4, "synced on time"),
// and the dossiers taken in from the portal (idempotent on the portal's id).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE sync_portal_dossiers (
      dossier_id uuid PRIMARY KEY,
      portal_code text NOT NULL UNIQUE,
      -- Status code (B §2.3.1) of the record as last sent.
      status_code integer,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    )
  `.execute(db)
  await sql`
    CREATE TABLE sync_portal_events (
      event_id bigint PRIMARY KEY,
      dossier_id uuid NOT NULL,
      seq integer NOT NULL,
      status_code integer NOT NULL,
      occurred_at timestamptz NOT NULL,
      -- 'deferred': the dossier had no code yet; sent when it gets one.
      state text NOT NULL CHECK (state IN ('deferred', 'synced')),
      synced_at timestamptz,
      CHECK ((state = 'synced') = (synced_at IS NOT NULL))
    )
  `.execute(db)
  await sql`CREATE INDEX sync_portal_events_dossier_idx ON sync_portal_events (dossier_id, event_id)`.execute(db)
  await sql`CREATE INDEX sync_portal_events_synced_idx ON sync_portal_events (occurred_at) WHERE state = 'synced'`.execute(db)
  await sql`
    CREATE TABLE sync_portal_intake (
      portal_dossier_id text PRIMARY KEY,
      dossier_id uuid NOT NULL UNIQUE,
      received_at timestamptz NOT NULL,
      acknowledged_at timestamptz
    )
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE sync_portal_intake`.execute(db)
  await sql`DROP TABLE sync_portal_events`.execute(db)
  await sql`DROP TABLE sync_portal_dossiers`.execute(db)
}
