import { sql, type Kysely } from 'kysely'

// Staff accounts, their server-side sessions, and the history of changes made to accounts.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE staff_accounts (
      id text PRIMARY KEY,
      username citext NOT NULL UNIQUE,
      full_name text NOT NULL,
      email citext,
      role text NOT NULL CHECK (role IN ('counter_officer', 'processing_officer', 'agency_leader', 'supervisor', 'admin')),
      agency_id text NOT NULL REFERENCES agencies(id),
      password_hash text NOT NULL,
      must_change_password boolean NOT NULL DEFAULT false,
      failed_logins integer NOT NULL DEFAULT 0,
      locked_until timestamptz,
      disabled_at timestamptz,
      is_demo boolean NOT NULL DEFAULT false,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db)
  await sql`CREATE INDEX staff_accounts_agency_idx ON staff_accounts (agency_id)`.execute(db)

  // The cookie holds a random token; only its SHA-256 is stored, so a database leak is no login.
  await sql`
    CREATE TABLE staff_sessions (
      id text PRIMARY KEY,
      token_hash text NOT NULL UNIQUE,
      account_id text NOT NULL REFERENCES staff_accounts(id),
      created_at timestamptz NOT NULL,
      last_seen_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz,
      revoked_reason text
    )
  `.execute(db)
  await sql`CREATE INDEX staff_sessions_account_idx ON staff_sessions (account_id)`.execute(db)

  await sql`
    CREATE TABLE staff_account_events (
      id bigserial PRIMARY KEY,
      account_id text NOT NULL REFERENCES staff_accounts(id),
      action text NOT NULL,
      actor_id text,
      details jsonb NOT NULL DEFAULT '{}'::jsonb,
      occurred_at timestamptz NOT NULL
    )
  `.execute(db)
  await sql`CREATE INDEX staff_account_events_account_idx ON staff_account_events (account_id, id)`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE staff_account_events`.execute(db)
  await sql`DROP TABLE staff_sessions`.execute(db)
  await sql`DROP TABLE staff_accounts`.execute(db)
}
