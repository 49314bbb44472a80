import { sql, type Kysely } from 'kysely'

// Community digital teams (tổ công nghệ số cộng đồng) and the consent a citizen gives a member
// to submit for them (issue 6 §5; DOMAIN B §10). A member is a citizen, named by identity number
// (they log in through the identity provider like anyone; an administrator links them to a
// commune's team, perhaps before their first login). A consent request is one attempt to get
// consent, by a one-time code sent by SMS (only its HMAC is stored) or in the citizen's own
// session; a consent exists only once the citizen agreed. Every use on a dossier is recorded.
// Personal data (identity numbers, phones) is never logged; no foreign key to citizens, since the
// citizen helped may never have logged in.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE outreach_teams (
      id uuid PRIMARY KEY,
      commune_code text NOT NULL,
      name text NOT NULL CHECK (length(name) BETWEEN 3 AND 200),
      created_by text,
      created_at timestamptz NOT NULL,
      UNIQUE (commune_code, name)
    )
  `.execute(db)
  await sql`
    CREATE TABLE outreach_members (
      id uuid PRIMARY KEY,
      team_id uuid NOT NULL REFERENCES outreach_teams(id),
      identity_number text NOT NULL CHECK (identity_number ~ '^[0-9]{12}$'),
      full_name text NOT NULL,
      added_by text,
      added_at timestamptz NOT NULL,
      removed_by text,
      removed_at timestamptz
    )
  `.execute(db)
  // One team at a time per person.
  await sql`CREATE UNIQUE INDEX outreach_members_active_idx ON outreach_members (identity_number) WHERE removed_at IS NULL`.execute(db)
  await sql`CREATE INDEX outreach_members_team_idx ON outreach_members (team_id)`.execute(db)

  await sql`
    CREATE TABLE outreach_consent_requests (
      id uuid PRIMARY KEY,
      member_citizen_id text NOT NULL,
      member_name text NOT NULL,
      team_id uuid NOT NULL REFERENCES outreach_teams(id),
      citizen_identity_number text NOT NULL CHECK (citizen_identity_number ~ '^[0-9]{12}$'),
      -- 84xxxxxxxxx; where the code went ('entered' by the member, or the 'identity_provider' record)
      phone text,
      phone_source text CHECK (phone_source IN ('entered', 'identity_provider')),
      purpose text NOT NULL,
      scope text NOT NULL CHECK (scope IN ('one_dossier', 'until_expiry')),
      valid_days integer NOT NULL CHECK (valid_days BETWEEN 1 AND 30),
      method text NOT NULL CHECK (method IN ('sms_otp', 'in_session')),
      status text NOT NULL CHECK (status IN ('sending', 'code_sent', 'send_failed', 'awaiting_citizen', 'approved', 'declined', 'locked', 'expired', 'cancelled')),
      otp_hash text,
      otp_expires_at timestamptz,
      attempts integer NOT NULL DEFAULT 0,
      send_count integer NOT NULL DEFAULT 0,
      last_sent_at timestamptz,
      provider_message_id text,
      expires_at timestamptz NOT NULL,
      consent_id uuid,
      created_at timestamptz NOT NULL,
      decided_at timestamptz
    )
  `.execute(db)
  await sql`CREATE INDEX outreach_requests_member_idx ON outreach_consent_requests (member_citizen_id, created_at)`.execute(db)
  await sql`CREATE INDEX outreach_requests_citizen_idx ON outreach_consent_requests (citizen_identity_number, created_at)`.execute(db)
  await sql`CREATE INDEX outreach_requests_phone_idx ON outreach_consent_requests (phone, last_sent_at)`.execute(db)

  await sql`
    CREATE TABLE outreach_consents (
      id uuid PRIMARY KEY,
      request_id uuid NOT NULL UNIQUE REFERENCES outreach_consent_requests(id),
      member_citizen_id text NOT NULL,
      member_name text NOT NULL,
      team_id uuid NOT NULL REFERENCES outreach_teams(id),
      citizen_identity_number text NOT NULL CHECK (citizen_identity_number ~ '^[0-9]{12}$'),
      purpose text NOT NULL,
      scope text NOT NULL CHECK (scope IN ('one_dossier', 'until_expiry')),
      method text NOT NULL CHECK (method IN ('sms_otp', 'in_session')),
      phone_source text,
      granted_at timestamptz NOT NULL,
      expires_at timestamptz NOT NULL,
      use_count integer NOT NULL DEFAULT 0,
      revoked_at timestamptz,
      revoked_reason text,
      CHECK (expires_at > granted_at),
      CHECK (scope <> 'one_dossier' OR use_count <= 1)
    )
  `.execute(db)
  await sql`CREATE INDEX outreach_consents_citizen_idx ON outreach_consents (citizen_identity_number, granted_at)`.execute(db)
  await sql`CREATE INDEX outreach_consents_member_idx ON outreach_consents (member_citizen_id, granted_at)`.execute(db)

  await sql`
    CREATE TABLE outreach_consent_uses (
      id uuid PRIMARY KEY,
      consent_id uuid NOT NULL REFERENCES outreach_consents(id),
      dossier_id uuid NOT NULL,
      dossier_code text,
      member_citizen_id text NOT NULL,
      used_at timestamptz NOT NULL,
      UNIQUE (consent_id, dossier_id)
    )
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE outreach_consent_uses`.execute(db)
  await sql`DROP TABLE outreach_consents`.execute(db)
  await sql`DROP TABLE outreach_consent_requests`.execute(db)
  await sql`DROP TABLE outreach_members`.execute(db)
  await sql`DROP TABLE outreach_teams`.execute(db)
}
