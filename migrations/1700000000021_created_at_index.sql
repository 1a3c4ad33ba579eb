-- Up Migration
-- The admin's order list filters by the day an order was created (createdFrom, createdTo). With
-- nothing to read the range off, a week half a year back read every newer order first. Such a
-- list runs newest first by (created_at, id), read backwards off this index. An order's
-- created_at is written once, with the order, so the index costs a status change nothing and
-- leaves HOT updates as they were.
CREATE INDEX orders_created_at_idx ON orders (created_at, id);

-- Down Migration
DROP INDEX orders_created_at_idx;
