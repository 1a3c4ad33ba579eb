-- Up Migration
-- An order may wait for its number (X-Cart numbers an order once it is finished): the number
-- is taken from the sequence when the order is numbered, not always at insert.
ALTER TABLE orders ALTER COLUMN code DROP NOT NULL;

-- Down Migration
UPDATE orders SET code = nextval('order_code_seq') WHERE code IS NULL;
ALTER TABLE orders ALTER COLUMN code SET NOT NULL;
