CREATE TABLE "line items" (
    id character varying(40) NOT NULL
);
CREATE VIEW report AS SELECT id FROM "line items";
