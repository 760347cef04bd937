-- The same objects as `pg_dump --quote-all-identifiers` (and `supabase db
-- dump`) print them, in a session whose time zone is +01; one column added.
SELECT pg_catalog.set_config('search_path', '', false);
CREATE SCHEMA IF NOT EXISTS "public";
COMMENT ON SCHEMA "public" IS 'standard public schema';
CREATE TABLE "public"."accounts" (
    "id" integer NOT NULL,
    "email" "text" NOT NULL,
    "tags" "text"[],
    "settings" "jsonb" DEFAULT '{}'::"jsonb",
    "created_at" timestamp with time zone DEFAULT "now"(),
    "verified" boolean DEFAULT false NOT NULL
);
CREATE SEQUENCE "public"."accounts_id_seq"
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE "public"."accounts_id_seq" OWNED BY "public"."accounts"."id";
ALTER TABLE ONLY "public"."accounts" ALTER COLUMN "id" SET DEFAULT "nextval"('"public"."accounts_id_seq"'::"regclass");
ALTER TABLE ONLY "public"."accounts"
    ADD CONSTRAINT "accounts_pkey" PRIMARY KEY ("id");
CREATE INDEX "accounts_email" ON "public"."accounts" USING "btree" ("lower"("email"));
CREATE TABLE "public"."events" (
    "at" timestamp with time zone NOT NULL,
    "account_id" integer
)
PARTITION BY RANGE ("at");
CREATE TABLE "public"."events_2024_q1" (
    "at" timestamp with time zone NOT NULL,
    "account_id" integer
);
ALTER TABLE ONLY "public"."events" ATTACH PARTITION "public"."events_2024_q1" FOR VALUES FROM ('2024-01-01 01:00:00+01') TO ('2024-04-01 01:00:00+01');
CREATE FUNCTION "public"."touch"() RETURNS "trigger"
    LANGUAGE "plpgsql"
    AS $$ BEGIN NEW.created_at := now(); RETURN NEW; END $$;
CREATE TRIGGER "accounts_touch" BEFORE UPDATE ON "public"."accounts" FOR EACH ROW EXECUTE FUNCTION "public"."touch"();
