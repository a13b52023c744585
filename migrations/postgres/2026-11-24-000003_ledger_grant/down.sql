ALTER TABLE ic_keys DROP COLUMN last_grant_micros;
ALTER TABLE projects DROP COLUMN last_grant_micros;
