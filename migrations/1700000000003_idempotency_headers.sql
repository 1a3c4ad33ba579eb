-- Up Migration
-- A replay answers with the first answer's headers too (its ETag, its content type).
ALTER TABLE idempotency_keys ADD COLUMN headers jsonb NOT NULL DEFAULT '{}';

-- Down Migration
ALTER TABLE idempotency_keys DROP COLUMN headers;
