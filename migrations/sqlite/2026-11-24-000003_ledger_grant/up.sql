-- Scratch column of the ledger's grant UPDATE: the tranche is computed inside the one
-- conditional UPDATE (from the row's old values) and written here too, so RETURNING can
-- report it on both backends. Not in schema.rs: only the ledger's raw SQL touches it.
ALTER TABLE projects ADD COLUMN last_grant_micros BIGINT NOT NULL DEFAULT 0;
ALTER TABLE ic_keys ADD COLUMN last_grant_micros BIGINT NOT NULL DEFAULT 0;
