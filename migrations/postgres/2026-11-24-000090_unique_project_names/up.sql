-- Two live projects with the same name (ignoring case) confuse every
-- list, report and key label; archived projects free their name.
CREATE UNIQUE INDEX projects_live_name ON projects (lower(name)) WHERE status <> 'archived';
