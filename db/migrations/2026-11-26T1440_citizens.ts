import { sql, type Kysely } from 'kysely'

// Citizens and business representatives who log in through the national identity provider
// (OpenID Connect, VNeID style), and their server-side sessions. Personal data (DOMAIN B §10):
// identity number, name, birth date, gender, phone and address come from the provider's claims
// and are refreshed at each login; they are never logged and are masked in lists.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE citizens (
      id text PRIMARY KEY,
      identity_number text NOT NULL UNIQUE CHECK (identity_number ~ '^[0-9]{12}$'),
      full_name text NOT NULL,
      birth_date date,
      gender text CHECK (gender IN ('male', 'female')),
      phone text,
      address text,
      business_tax_code text,
      business_name text,
      last_assurance_level smallint NOT NULL CHECK (last_assurance_level IN (1, 2)),
      last_login_at timestamptz NOT NULL,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    )
  `.execute(db)

  // Like staff sessions: the cookie holds a random token, only its SHA-256 is stored. Each
  // session records the assurance level of the login behind it (level 2 is what the national
  // portal sync reports as TaiKhoanDuocXacThucVoiVNeID) and which provider account it was.
  await sql`
    CREATE TABLE citizen_sessions (
      id text PRIMARY KEY,
      token_hash text NOT NULL UNIQUE,
      citizen_id text NOT NULL REFERENCES citizens(id),
      assurance_level smallint NOT NULL CHECK (assurance_level IN (1, 2)),
      idp_issuer text NOT NULL,
      idp_subject text NOT NULL,
      created_at timestamptz NOT NULL,
      last_seen_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz,
      revoked_reason text
    )
  `.execute(db)
  await sql`CREATE INDEX citizen_sessions_citizen_idx ON citizen_sessions (citizen_id)`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE citizen_sessions`.execute(db)
  await sql`DROP TABLE citizens`.execute(db)
}
