DROP INDEX projects_live_name;
