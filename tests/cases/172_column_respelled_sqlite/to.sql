-- SQLite compares names without case, but keeps them as written, and a
-- `SELECT *` names the columns as the catalog has them.
CREATE TABLE "ledger" (
    "entry id" integer PRIMARY KEY,
    "amount" integer NOT NULL,
    Memo text
);
