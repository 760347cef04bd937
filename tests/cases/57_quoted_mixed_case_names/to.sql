CREATE TABLE "UserAccount" (
    "Id" integer PRIMARY KEY,
    "EmailAddress" text NOT NULL,
    "DisplayName" text,
    CONSTRAINT "UserAccount_EmailAddress_key" UNIQUE ("EmailAddress")
);
CREATE INDEX "UserAccount_DisplayName_idx" ON "UserAccount" ("DisplayName");
