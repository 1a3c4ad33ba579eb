-- Up Migration
-- The stuck orders of a workflow (GET /v1/workflows/{name}/stuck), oldest first, whether few or
-- many orders wait (a shop that never marks parcels delivered has months of them). The per-status
-- counts (migration 016) say which combinations of the tracks' states hold a temporary one; the
-- list reads each such status's oldest changes off this index and stops at a page, rather than
-- sorting every waiting order; the count takes the counts and subtracts the orders changed since
-- the threshold, a window's changes read off this index, rather than counting every stuck order.
-- A save writes the index (updated_at changes with every save), as it writes the others of orders.
CREATE INDEX orders_waiting_idx ON orders (workflow, status, updated_at, id) WHERE NOT (body ? 'removedAt');

-- Down Migration
DROP INDEX orders_waiting_idx;
