-- Up Migration
-- An order may wait for its number (X-Cart numbers an order once it is finished): the number
-- is taken from the sequence when the order is numbered, not always at insert.
ALTER TABLE orders ALTER COLUMN code DROP NOT NULL;

-- Orders whose cancellation notice is due and not yet answered (a crash in between): the
-- recovery looks for them every second; they are few, so only they are indexed.
CREATE INDEX orders_notice_due_idx ON orders (updated_at) WHERE (body -> 'cancellationNotice' ->> 'due') = 'true';

-- Down Migration
DROP INDEX orders_notice_due_idx;
UPDATE orders SET code = nextval('order_code_seq') WHERE code IS NULL;
ALTER TABLE orders ALTER COLUMN code SET NOT NULL;
