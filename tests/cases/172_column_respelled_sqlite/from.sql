-- SQLite compares names without case, but keeps them as written, and a
-- `SELECT *` names the columns as the catalog has them.
CREATE TABLE [ledger] (
    [Entry Id] integer PRIMARY KEY,
    [Amount] integer NOT NULL,
    memo text
);
