import { sql, type Kysely } from 'kysely'

// Organisation: administrative units (current and historical, with merger lineage) and agencies.
export async function up(db: Kysely<unknown>): Promise<void> {
  // Unit codes were reused by the 2025 reform (new commune 32002 Phường An Xuyên is not former
  // commune 32002 Phường 2), so a unit is identified by (code, level, valid_from) and `id` is a
  // surrogate for references. A null valid_from means "since before our data begins"; NULLS NOT
  // DISTINCT keeps two such units from sharing a code (PostgreSQL 15+).
  await sql`
    CREATE TABLE admin_units (
      id text PRIMARY KEY,
      code text NOT NULL,
      name text NOT NULL,
      type text NOT NULL,
      level text NOT NULL CHECK (level IN ('province', 'district', 'commune')),
      parent_id text REFERENCES admin_units(id),
      province_code text NOT NULL,
      valid_from date,
      valid_to date,
      extra jsonb NOT NULL DEFAULT '{}'::jsonb,
      source text NOT NULL,
      name_folded text GENERATED ALWAYS AS (vn_fold(name)) STORED,
      CONSTRAINT admin_units_code_era_key UNIQUE NULLS NOT DISTINCT (code, level, valid_from),
      CONSTRAINT admin_units_validity_check CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_from <= valid_to)
    )
  `.execute(db)
  await sql`CREATE INDEX admin_units_code_idx ON admin_units (code)`.execute(db)
  await sql`CREATE INDEX admin_units_parent_idx ON admin_units (parent_id, code)`.execute(db)
  await sql`CREATE INDEX admin_units_level_idx ON admin_units (level, code)`.execute(db)
  await sql`CREATE INDEX admin_units_name_trgm ON admin_units USING gin (name_folded gin_trgm_ops)`.execute(db)

  await sql`
    CREATE TABLE admin_unit_lineage (
      predecessor_id text NOT NULL REFERENCES admin_units(id),
      successor_id text NOT NULL REFERENCES admin_units(id),
      portion text NOT NULL CHECK (portion IN ('whole', 'part')),
      effective_on date NOT NULL,
      source text NOT NULL,
      PRIMARY KEY (predecessor_id, successor_id)
    )
  `.execute(db)
  await sql`CREATE INDEX admin_unit_lineage_successor_idx ON admin_unit_lineage (successor_id)`.execute(db)

  // Agency codes are re-issued when units merge (DOMAIN §11.6): the uniqueness of `code` is
  // checked at commit, so one transaction can move a code from one agency to another.
  await sql`
    CREATE TABLE agencies (
      id text PRIMARY KEY,
      code text NOT NULL CHECK (code ~ '^[0-9A-Z]+(\\.[0-9A-Z]+)*$' AND length(code) <= 35),
      name text NOT NULL,
      short_name text,
      kind text NOT NULL,
      level text NOT NULL CHECK (level IN ('province', 'commune')),
      unit_id text REFERENCES admin_units(id),
      parent_id text REFERENCES agencies(id),
      valid_from date,
      valid_to date,
      source text NOT NULL,
      name_folded text GENERATED ALWAYS AS (vn_fold(name)) STORED,
      CONSTRAINT agencies_code_key UNIQUE (code) DEFERRABLE INITIALLY DEFERRED,
      CONSTRAINT agencies_validity_check CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_from <= valid_to)
    )
  `.execute(db)
  await sql`CREATE INDEX agencies_parent_idx ON agencies (parent_id)`.execute(db)
  await sql`CREATE INDEX agencies_unit_idx ON agencies (unit_id)`.execute(db)
  await sql`CREATE INDEX agencies_name_trgm ON agencies USING gin (name_folded gin_trgm_ops)`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE agencies`.execute(db)
  await sql`DROP TABLE admin_unit_lineage`.execute(db)
  await sql`DROP TABLE admin_units`.execute(db)
}
