CREATE TABLE readings (sensor int NOT NULL, at timestamp NOT NULL, celsius numeric(5,2) NOT NULL DEFAULT 0, note text) PARTITION BY RANGE (at);
CREATE TABLE readings_2024 PARTITION OF readings FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE readings_rest PARTITION OF readings DEFAULT;
CREATE TABLE readings_2025 PARTITION OF readings FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE INDEX readings_sensor_at_idx ON readings (sensor, at);
