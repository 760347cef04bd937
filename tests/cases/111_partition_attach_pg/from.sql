CREATE TABLE measurements (id bigint NOT NULL, taken date NOT NULL, value numeric CHECK (value >= 0)) PARTITION BY RANGE (taken);
CREATE INDEX measurements_taken_idx ON measurements (taken);
CREATE TABLE measurements_2023 (id bigint NOT NULL, taken date NOT NULL, value numeric);
