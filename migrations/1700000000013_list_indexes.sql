-- Up Migration
-- Indexes for the admin's reads at a million orders (bench/REPORT.md, "Scale of data").

-- The order list's search (`q`) matches a substring of the customer's email, name or id
-- (search LIKE '%...%'), which no btree serves: trigrams do. pg_trgm ships with PostgreSQL
-- and may be created by a database owner; where it cannot be, search scans as before.
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
  CREATE INDEX orders_search_trgm_idx ON orders USING gin (search gin_trgm_ops);
EXCEPTION WHEN insufficient_privilege OR undefined_file OR feature_not_supported THEN
  RAISE NOTICE 'pg_trgm is not available: order search will scan the orders table';
END
$$;

-- Per-status counts of a workflow (GET /v1/workflows/{name}/counts) read this index alone
-- (an index-only scan), never the orders' documents; removed orders are left out as in lists.
CREATE INDEX orders_status_counts_idx ON orders (workflow, status) WHERE NOT (body ? 'removedAt');

-- Down Migration
DROP INDEX orders_status_counts_idx;
DROP INDEX IF EXISTS orders_search_trgm_idx;
