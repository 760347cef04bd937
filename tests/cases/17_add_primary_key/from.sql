CREATE TABLE settings (
    key text NOT NULL,
    value text
);
