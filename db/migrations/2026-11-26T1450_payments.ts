import { sql, type Kysely } from 'kysely'

// Payments: fee obligations per dossier, payment intents (one per attempt: an online
// transaction on the payment platform, or cash/transfer recorded at the counter), every callback
// received, electronic receipts, the receipt number counters and the daily reconciliations.
// Amounts are whole VND in bigint. Dossier-owned rows carry dossier_id (distribution, DESIGN);
// no foreign key to dossiers: payments learns of dossiers through their events.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE payment_obligations (
      id uuid PRIMARY KEY,
      dossier_id uuid NOT NULL,
      dossier_code text,
      procedure_code text NOT NULL,
      procedure_version integer NOT NULL,
      procedure_name text NOT NULL,
      channel text NOT NULL,
      -- The collecting (competent) agency, and the counter that received the dossier: both see the fee.
      agency_id text NOT NULL,
      receiving_agency_id text NOT NULL,
      source text NOT NULL CHECK (source IN ('catalog', 'officer')),
      description text NOT NULL,
      -- The catalogue fee and the rule that gave the amount, kept as read (audit).
      basis jsonb NOT NULL,
      amount_vnd bigint CHECK (amount_vnd IS NULL OR amount_vnd > 0),
      status text NOT NULL CHECK (status IN ('needs_amount', 'due', 'pending', 'paid', 'refused', 'expired', 'cancelled')),
      payer_name text NOT NULL,
      paid_at timestamptz,
      paid_method text CHECK (paid_method IN ('online', 'cash', 'transfer')),
      paid_intent_id uuid,
      -- The dossier's confirm_payment: pending until done (or found not needed).
      dossier_sync text NOT NULL DEFAULT 'none' CHECK (dossier_sync IN ('none', 'pending', 'done')),
      amount_stated_by text,
      cancelled_reason text,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      CHECK ((status = 'needs_amount') = (amount_vnd IS NULL))
    )
  `.execute(db)
  await sql`CREATE INDEX payment_obligations_dossier_idx ON payment_obligations (dossier_id, created_at)`.execute(db)
  await sql`CREATE INDEX payment_obligations_agency_idx ON payment_obligations (agency_id, status, updated_at)`.execute(db)
  await sql`CREATE INDEX payment_obligations_receiving_idx ON payment_obligations (receiving_agency_id, status, updated_at)`.execute(db)
  await sql`CREATE INDEX payment_obligations_sync_idx ON payment_obligations (dossier_id) WHERE dossier_sync = 'pending'`.execute(db)
  // One catalogue obligation per dossier at a time: events replayed or pages opened twice create none more.
  await sql`CREATE UNIQUE INDEX payment_obligations_one_catalog ON payment_obligations (dossier_id) WHERE source = 'catalog' AND status <> 'cancelled'`.execute(db)

  await sql`
    CREATE TABLE payment_intents (
      id uuid PRIMARY KEY,
      obligation_id uuid NOT NULL REFERENCES payment_obligations(id),
      dossier_id uuid NOT NULL,
      method text NOT NULL CHECK (method IN ('online', 'cash', 'transfer')),
      gateway text,
      reference text NOT NULL UNIQUE,
      amount_vnd bigint NOT NULL CHECK (amount_vnd > 0),
      status text NOT NULL CHECK (status IN ('pending', 'paid', 'refused', 'expired', 'cancelled')),
      -- yyyyMMddHHmmss (Vietnam time) as sent in INIT: the status query and receipt fetch sign it.
      gateway_time text,
      gateway_accepted boolean NOT NULL DEFAULT false,
      redirect_url text,
      gateway_txn_id text,
      bank_code text,
      error_code text,
      error_message text,
      payer_name text NOT NULL,
      -- A success that arrived after we had given up on the transaction (expired or refused).
      late boolean NOT NULL DEFAULT false,
      -- Money taken for an obligation another intent had already paid: to be refunded.
      refund_needed boolean NOT NULL DEFAULT false,
      recorded_by text,
      note text,
      created_at timestamptz NOT NULL,
      expires_at timestamptz,
      settled_at timestamptz,
      updated_at timestamptz NOT NULL
    )
  `.execute(db)
  await sql`CREATE INDEX payment_intents_obligation_idx ON payment_intents (obligation_id, created_at)`.execute(db)
  await sql`CREATE INDEX payment_intents_pending_idx ON payment_intents (expires_at) WHERE status = 'pending'`.execute(db)
  await sql`CREATE INDEX payment_intents_created_idx ON payment_intents (gateway, created_at)`.execute(db)

  await sql`
    CREATE TABLE payment_callbacks (
      id bigserial PRIMARY KEY,
      gateway text NOT NULL,
      reference text,
      received_at timestamptz NOT NULL,
      source text NOT NULL CHECK (source IN ('callback', 'query')),
      verified boolean NOT NULL,
      result_code text,
      outcome text NOT NULL,
      payload jsonb NOT NULL
    )
  `.execute(db)
  await sql`CREATE INDEX payment_callbacks_reference_idx ON payment_callbacks (reference, id)`.execute(db)

  await sql`
    CREATE TABLE payment_receipt_counters (
      year integer PRIMARY KEY,
      last_no integer NOT NULL
    )
  `.execute(db)

  await sql`
    CREATE TABLE payment_receipts (
      id uuid PRIMARY KEY,
      intent_id uuid NOT NULL REFERENCES payment_intents(id),
      kind text NOT NULL CHECK (kind IN ('vidan', 'platform')),
      number text NOT NULL,
      sha256 text,
      bytes bytea,
      issued_at timestamptz NOT NULL,
      UNIQUE (intent_id, kind)
    )
  `.execute(db)
  await sql`CREATE UNIQUE INDEX payment_receipts_number ON payment_receipts (number) WHERE kind = 'vidan'`.execute(db)

  await sql`
    CREATE TABLE payment_reconciliations (
      id uuid PRIMARY KEY,
      gateway text NOT NULL,
      day date NOT NULL,
      statement_sha256 text NOT NULL,
      statement_rows integer NOT NULL,
      our_rows integer NOT NULL,
      mismatches jsonb NOT NULL,
      mismatch_count integer NOT NULL,
      run_at timestamptz NOT NULL,
      run_by text
    )
  `.execute(db)
  await sql`CREATE INDEX payment_reconciliations_day_idx ON payment_reconciliations (gateway, day, run_at)`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['payment_reconciliations', 'payment_receipts', 'payment_receipt_counters', 'payment_callbacks', 'payment_intents', 'payment_obligations']) {
    await sql`DROP TABLE IF EXISTS ${sql.raw(t)}`.execute(db)
  }
}
