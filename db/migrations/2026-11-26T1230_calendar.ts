import { sql, type Kysely } from 'kysely'

// Calendar: announced schedules of days off per year, declared closures, working hours per
// province, and the log of every change (who, when, why). National schedules are reference
// data; closures and working hours belong to a province.
export async function up(db: Kysely<unknown>): Promise<void> {
  // A row here means the year has an announced (official) schedule; a year without one is
  // computed provisionally by the code (DOMAIN A3).
  await sql`
    CREATE TABLE calendar_schedules (
      year integer PRIMARY KEY CHECK (year BETWEEN 1900 AND 2100),
      source text NOT NULL,
      reason text NOT NULL,
      loaded_by text,
      loaded_at timestamptz NOT NULL,
      version integer NOT NULL DEFAULT 1
    )
  `.execute(db)

  // The rows of holidays.csv, one per date: days off, make-up working days, and notes (kinds
  // proposed_holiday, statutory_unscheduled, lunar_computed_unverified) that change nothing.
  await sql`
    CREATE TABLE calendar_days (
      date date PRIMARY KEY,
      year integer NOT NULL,
      name text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('holiday', 'weekend_in_break', 'compensatory_day_off', 'swapped_day_off',
        'makeup_workday', 'proposed_holiday', 'statutory_unscheduled', 'lunar_computed_unverified')),
      note text NOT NULL DEFAULT '',
      source text NOT NULL DEFAULT ''
    )
  `.execute(db)
  await sql`CREATE INDEX calendar_days_year_idx ON calendar_days (year, date)`.execute(db)

  // A closure (storm, flood) for the whole province (communes = []) or listed communes; a
  // cancelled one stays for the record.
  await sql`
    CREATE TABLE calendar_closures (
      id text PRIMARY KEY,
      province_code text NOT NULL,
      date_from date NOT NULL,
      date_to date NOT NULL,
      communes jsonb NOT NULL DEFAULT '[]'::jsonb,
      reason text NOT NULL,
      declared_by text,
      declared_at timestamptz NOT NULL,
      cancelled_by text,
      cancelled_at timestamptz,
      cancel_reason text,
      CHECK (date_to >= date_from)
    )
  `.execute(db)
  await sql`CREATE INDEX calendar_closures_province_idx ON calendar_closures (province_code, date_from)`.execute(db)

  await sql`
    CREATE TABLE calendar_settings (
      province_code text PRIMARY KEY,
      windows jsonb NOT NULL,
      same_day_cutoff text NOT NULL,
      updated_by text,
      updated_at timestamptz NOT NULL,
      version integer NOT NULL DEFAULT 1
    )
  `.execute(db)

  // Append-only history; its largest id is also the version caches compare against.
  // province_code is null for national data (the yearly schedules).
  await sql`
    CREATE TABLE calendar_changes (
      id bigserial PRIMARY KEY,
      province_code text,
      action text NOT NULL,
      year integer,
      date_from date,
      date_to date,
      actor_id text,
      reason text NOT NULL,
      details jsonb NOT NULL DEFAULT '{}'::jsonb,
      occurred_at timestamptz NOT NULL
    )
  `.execute(db)
  await sql`CREATE INDEX calendar_changes_province_idx ON calendar_changes (province_code, id)`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE calendar_changes`.execute(db)
  await sql`DROP TABLE calendar_settings`.execute(db)
  await sql`DROP TABLE calendar_closures`.execute(db)
  await sql`DROP TABLE calendar_days`.execute(db)
  await sql`DROP TABLE calendar_schedules`.execute(db)
}
