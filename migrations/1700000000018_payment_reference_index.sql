-- Up Migration
-- The back office's search (`q`) also matches a payment's gateway reference (migration 004 says
-- payments are found by it, but gave the column no index): each search read every payment.
-- A payment's row is written only when the payment changes, so this costs a status change nothing.
CREATE INDEX payments_reference_idx ON payments (reference) WHERE reference IS NOT NULL;

-- Down Migration
DROP INDEX payments_reference_idx;
