CREATE TABLE "UserAccount" (
    "Id" integer PRIMARY KEY,
    "EmailAddress" text NOT NULL
);
