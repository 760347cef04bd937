-- The table gets its TOAST table with its first column stored out of line:
-- TOAST parameters are set after the column is added (or its type changed),
-- as the server drops them silently before.
CREATE TABLE users (id int PRIMARY KEY, age text, doc json)
WITH (fillfactor = 80, toast.autovacuum_enabled = false);
