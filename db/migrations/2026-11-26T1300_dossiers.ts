import { sql, type Kysely } from 'kysely'

// Dossiers: the record, its append-only hash-chained events, its steps (form 06 hand-overs),
// the daily code counters, apologies, issued forms, officer access log, idempotency keys.
// Every dossier-owned table carries dossier_id in its key (distribution by dossier, DESIGN).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE dossiers (
      id uuid PRIMARY KEY,
      code text UNIQUE,
      status text NOT NULL,
      version integer NOT NULL DEFAULT 1,
      channel text NOT NULL CHECK (channel IN ('counter', 'online', 'post', 'national_portal')),
      procedure_code text NOT NULL,
      procedure_version integer NOT NULL,
      procedure_name text NOT NULL,
      case_name text,
      receiving_agency_id text NOT NULL,
      competent_agency_id text NOT NULL,
      commune_code text,
      applicant jsonb NOT NULL,
      owner jsonb,
      applicant_folded text NOT NULL DEFAULT '',
      applicant_id_last4 text,
      applicant_phone_last4 text,
      documents jsonb NOT NULL DEFAULT '[]'::jsonb,
      sets integer NOT NULL DEFAULT 1,
      return_method text NOT NULL DEFAULT 'counter' CHECK (return_method IN ('counter', 'post', 'online')),
      limit_amount integer NOT NULL,
      limit_unit text NOT NULL,
      pause_mode text NOT NULL DEFAULT 'restart' CHECK (pause_mode IN ('restart', 'resume')),
      submitted_at timestamptz NOT NULL,
      received_at timestamptz,
      clock_started_at timestamptz,
      -- due_at: the legal due time (statistics use it; a supplement restart or a calendar change
      -- recomputes it). appointment_at: the date promised to the applicant, which an approved
      -- apology may move; moving it never makes a late dossier on time (A6).
      due_at timestamptz,
      appointment_at timestamptz,
      due_explanation jsonb,
      paused_since timestamptz,
      pause_reason text,
      reschedule_count integer NOT NULL DEFAULT 0,
      supplement_count integer NOT NULL DEFAULT 0,
      at_risk_since timestamptz,
      late_since timestamptz,
      decided_at timestamptz,
      decision text CHECK (decision IN ('approved', 'rejected')),
      returned_at timestamptz,
      current_assignee_id text,
      current_agency_id text NOT NULL,
      last_event_seq integer NOT NULL DEFAULT 0,
      last_event_hash text NOT NULL,
      created_by text,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL
    )
  `.execute(db)
  await sql`CREATE INDEX dossiers_agency_status_idx ON dossiers (current_agency_id, status, due_at)`.execute(db)
  await sql`CREATE INDEX dossiers_assignee_idx ON dossiers (current_assignee_id, status, due_at)`.execute(db)
  await sql`CREATE INDEX dossiers_open_due_idx ON dossiers (due_at) WHERE status IN ('received', 'processing', 'awaiting_payment')`.execute(db)
  await sql`CREATE INDEX dossiers_applicant_trgm ON dossiers USING gin (applicant_folded gin_trgm_ops)`.execute(db)

  await sql`
    CREATE TABLE dossier_events (
      id bigserial PRIMARY KEY,
      dossier_id uuid NOT NULL REFERENCES dossiers(id),
      seq integer NOT NULL,
      action text NOT NULL,
      from_status text,
      to_status text NOT NULL,
      actor_id text,
      actor_name text NOT NULL,
      actor_role text NOT NULL,
      agency_id text,
      content text NOT NULL,
      reason text,
      occurred_at timestamptz NOT NULL,
      step_due_at timestamptz,
      data jsonb NOT NULL DEFAULT '{}'::jsonb,
      prev_hash text NOT NULL,
      hash text NOT NULL,
      UNIQUE (dossier_id, seq)
    )
  `.execute(db)
  // Append-only: the database itself refuses updates and deletes of events.
  await sql`
    CREATE OR REPLACE FUNCTION dossier_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF current_setting('vidan.allow_event_rewrite', true) = 'on' THEN RETURN COALESCE(NEW, OLD); END IF;
      RAISE EXCEPTION 'dossier_events is append-only';
    END $$
  `.execute(db)
  await sql`CREATE TRIGGER dossier_events_no_update BEFORE UPDATE OR DELETE ON dossier_events FOR EACH ROW EXECUTE FUNCTION dossier_events_append_only()`.execute(db)

  await sql`
    CREATE TABLE dossier_steps (
      dossier_id uuid NOT NULL REFERENCES dossiers(id),
      seq integer NOT NULL,
      kind text NOT NULL,
      name text NOT NULL,
      agency_id text NOT NULL,
      role text NOT NULL,
      assignee_id text,
      given_by text,
      received_by text,
      started_at timestamptz NOT NULL,
      due_at timestamptz,
      completed_at timestamptz,
      outcome text,
      note text,
      PRIMARY KEY (dossier_id, seq)
    )
  `.execute(db)

  await sql`
    CREATE TABLE dossier_code_counters (
      agency_code text NOT NULL,
      day date NOT NULL,
      last_seq integer NOT NULL,
      PRIMARY KEY (agency_code, day)
    )
  `.execute(db)

  await sql`
    CREATE TABLE dossier_pauses (
      dossier_id uuid NOT NULL REFERENCES dossiers(id),
      seq integer NOT NULL,
      kind text NOT NULL CHECK (kind IN ('supplement', 'payment')),
      mode text NOT NULL CHECK (mode IN ('restart', 'resume')),
      from_at timestamptz NOT NULL,
      to_at timestamptz,
      reason text NOT NULL,
      PRIMARY KEY (dossier_id, seq)
    )
  `.execute(db)

  await sql`
    CREATE TABLE dossier_apologies (
      id uuid PRIMARY KEY,
      dossier_id uuid NOT NULL REFERENCES dossiers(id),
      agency_id text NOT NULL,
      status text NOT NULL CHECK (status IN ('draft', 'approved', 'returned')),
      reason text NOT NULL,
      old_due_at timestamptz NOT NULL,
      proposed_due_at timestamptz NOT NULL,
      drafted_by text NOT NULL,
      drafted_at timestamptz NOT NULL,
      decided_by text,
      decided_at timestamptz,
      decision_note text
    )
  `.execute(db)
  await sql`CREATE INDEX dossier_apologies_public_idx ON dossier_apologies (agency_id, decided_at DESC) WHERE status = 'approved'`.execute(db)
  await sql`CREATE INDEX dossier_apologies_dossier_idx ON dossier_apologies (dossier_id)`.execute(db)

  await sql`
    CREATE TABLE dossier_forms (
      id uuid PRIMARY KEY,
      dossier_id uuid NOT NULL REFERENCES dossiers(id),
      kind text NOT NULL,
      source_seq integer NOT NULL,
      form_code text NOT NULL,
      numbering text NOT NULL,
      sha256 text NOT NULL,
      bytes bytea NOT NULL,
      issued_at timestamptz NOT NULL,
      issued_by text
    )
  `.execute(db)
  // One issued form per dossier, kind and the event it documents: printing again gives the stored bytes.
  await sql`CREATE UNIQUE INDEX dossier_forms_source_idx ON dossier_forms (dossier_id, kind, source_seq)`.execute(db)

  await sql`
    CREATE TABLE dossier_access_log (
      id bigserial PRIMARY KEY,
      dossier_id uuid NOT NULL,
      account_id text NOT NULL,
      opened_at timestamptz NOT NULL,
      purpose text NOT NULL
    )
  `.execute(db)
  await sql`CREATE INDEX dossier_access_log_dossier_idx ON dossier_access_log (dossier_id, opened_at)`.execute(db)

  await sql`
    CREATE TABLE idempotency_keys (
      key text NOT NULL,
      scope text NOT NULL,
      request_hash text NOT NULL,
      status_code integer NOT NULL,
      body jsonb NOT NULL,
      created_at timestamptz NOT NULL,
      PRIMARY KEY (scope, key)
    )
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['idempotency_keys', 'dossier_access_log', 'dossier_forms', 'dossier_apologies', 'dossier_pauses', 'dossier_code_counters', 'dossier_steps', 'dossier_events', 'dossiers']) {
    await sql`DROP TABLE ${sql.table(t)}`.execute(db)
  }
  await sql`DROP FUNCTION dossier_events_append_only()`.execute(db)
}
