CREATE TABLE "line items" (
    id text NOT NULL
);
CREATE VIEW report AS SELECT id FROM "line items";
