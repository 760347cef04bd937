CREATE TABLE "user" (
    id integer PRIMARY KEY,
    "order" integer NOT NULL,
    "group" text,
    "select" text DEFAULT 'x'
);
CREATE TABLE "order" (
    id integer PRIMARY KEY,
    "user" integer NOT NULL,
    CONSTRAINT "order_user_fkey" FOREIGN KEY ("user") REFERENCES "user" (id)
);
CREATE INDEX "order_user_idx" ON "order" ("user");
