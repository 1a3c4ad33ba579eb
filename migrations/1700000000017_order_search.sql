-- Up Migration
-- The order search's text (`q`: the customer's email, name and id, lowercased) in a table of its
-- own. No order update is HOT, so while the text sat in the order row every save, a status change
-- included, wrote a new entry into its trigram index: about a tenth of a status change
-- (bench/REPORT.md, "Indexes and HOT"). The text changes only with the customer, and the save
-- writes this row only then.
--
-- Keyed by the order's id and, on Citus, distributed by it beside the orders (docs/scaling.md).
-- No foreign key: nothing reads the row without its order, and the order's own save writes both.
CREATE TABLE order_search (
  order_id uuid PRIMARY KEY,
  search   text NOT NULL
);

-- Writers wait until this migration commits: no order saved meanwhile misses its row or its text.
LOCK TABLE orders IN SHARE MODE;
INSERT INTO order_search (order_id, search) SELECT id, search FROM orders;

-- A substring of the text (search LIKE '%...%') is what trigrams serve (as in migration 013);
-- where pg_trgm cannot be created, search scans this narrow table instead.
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
  CREATE INDEX order_search_trgm_idx ON order_search USING gin (search gin_trgm_ops);
EXCEPTION WHEN insufficient_privilege OR undefined_file OR feature_not_supported THEN
  RAISE NOTICE 'pg_trgm is not available: order search will scan the order_search table';
END
$$;

DROP INDEX IF EXISTS orders_search_trgm_idx;
ALTER TABLE orders DROP COLUMN search;

-- Down Migration
ALTER TABLE orders ADD COLUMN search text;
UPDATE orders o SET search = s.search FROM order_search s WHERE s.order_id = o.id;
-- An order without a row (loaded by SQL that skipped it): its text as the save makes it.
UPDATE orders SET search = lower(concat_ws(' ', nullif(body -> 'customer' ->> 'email', ''), nullif(body -> 'customer' ->> 'name', ''), nullif(body -> 'customer' ->> 'id', '')))
  WHERE search IS NULL;
ALTER TABLE orders ALTER COLUMN search SET NOT NULL;
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
  CREATE INDEX orders_search_trgm_idx ON orders USING gin (search gin_trgm_ops);
EXCEPTION WHEN insufficient_privilege OR undefined_file OR feature_not_supported THEN
  RAISE NOTICE 'pg_trgm is not available: order search will scan the orders table';
END
$$;
DROP TABLE order_search;
