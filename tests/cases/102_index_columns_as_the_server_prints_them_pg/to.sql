CREATE TABLE products (
    id integer PRIMARY KEY,
    name text NOT NULL,
    code character varying(20),
    tags text[],
    doc jsonb
);
-- The default operator class written out: the catalog cannot tell it
-- from none.
CREATE INDEX products_name ON products USING btree (name text_ops);
CREATE INDEX products_code ON products (code pg_catalog.text_ops DESC);
CREATE INDEX products_id_hash ON products USING hash (id int4_ops);
CREATE INDEX products_tags ON products USING gin (tags array_ops);
CREATE INDEX products_doc ON products USING gin (doc jsonb_ops);
-- Another class of the same method stays.
CREATE INDEX products_doc_path ON products USING gin (doc jsonb_path_ops);
CREATE INDEX products_doc_tags ON products USING gin ((doc -> 'tags') jsonb_path_ops);
-- A call to a variadic function, printed back with VARIADIC ARRAY[…].
CREATE UNIQUE INDEX products_doc_sku ON products (jsonb_extract_path_text(doc, 'sku', 'id'));
