-- Up Migration
-- An Idempotency-Key's outcome commits with the command it ran: `committed` holds the answer
-- as committed, written in the command's own transaction; `token` names the claim, so that a
-- claim taken over from a request presumed dead can never commit that request's command too.
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_state_check;
ALTER TABLE idempotency_keys ADD CONSTRAINT idempotency_keys_state_check CHECK (state IN ('running', 'committed', 'done'));
ALTER TABLE idempotency_keys ADD COLUMN token uuid;
ALTER TABLE idempotency_keys ADD COLUMN order_id uuid;

-- Down Migration
ALTER TABLE idempotency_keys DROP COLUMN order_id;
ALTER TABLE idempotency_keys DROP COLUMN token;
UPDATE idempotency_keys SET state = 'done' WHERE state = 'committed';
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_state_check;
ALTER TABLE idempotency_keys ADD CONSTRAINT idempotency_keys_state_check CHECK (state IN ('running', 'done'));
