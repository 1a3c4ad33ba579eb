-- Up Migration
-- Per-status counts of a workflow (GET /v1/workflows/{name}/counts) without counting every order:
-- a small summary of counts per (workflow, status), plus the changes not yet added to it.
--
-- Every change of an order's workflow, status or removal appends two delta rows (-1 for where it
-- was counted, +1 for where it is counted now) in the same transaction as the change. Writers only
-- append, so concurrent status changes of different orders never wait on a shared counter row.
-- A fold (src/store/order-counts.ts) moves committed deltas into the summary in one statement; a
-- read adds the summary and the workflow's remaining deltas in one statement (one snapshot), so
-- it gives what a grouped count over orders would give at that moment.
--
-- Citus: the deltas are distributed by order_id beside the orders, so the trigger, which runs on
-- the order's shard, appends to a shard on the same node; the summary is a reference table,
-- written by folds only. Citus refuses to distribute a table that has triggers unless
-- citus.enable_unsafe_triggers is on: set it (ALTER SYSTEM or ALTER DATABASE, on the coordinator
-- and the workers) before `ordo db distribute` (docs/scaling.md, "Per-status counts").

CREATE TABLE order_status_deltas (
  order_id uuid NOT NULL,
  workflow text NOT NULL,
  status   jsonb NOT NULL,
  n        smallint NOT NULL CHECK (n IN (-1, 1))
);
-- No index: reads scan the few hundred deltas that wait at any time (a read folds them all past a
-- threshold), and every index would be one more write per delta, all of them on one hot page.

CREATE TABLE order_status_counts (
  workflow text NOT NULL,
  status   jsonb NOT NULL,
  n        bigint NOT NULL,
  PRIMARY KEY (workflow, status)
);

-- Removed orders are counted nowhere, as in lists. One function for the three row events: the
-- triggers' WHEN clauses keep it from being called when nothing counted changed. A status change
-- appends its two rows in one INSERT (one executor run fewer on every status change).
CREATE FUNCTION order_status_delta() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  -- OLD is null in an INSERT trigger and NEW in a DELETE trigger.
  counted_before boolean := TG_OP <> 'INSERT' AND NOT (OLD.body ? 'removedAt');
  counted_after  boolean := TG_OP <> 'DELETE' AND NOT (NEW.body ? 'removedAt');
BEGIN
  IF counted_before AND counted_after THEN
    INSERT INTO order_status_deltas (order_id, workflow, status, n)
      VALUES (OLD.id, OLD.workflow, OLD.status, -1), (NEW.id, NEW.workflow, NEW.status, 1);
  ELSIF counted_before THEN
    INSERT INTO order_status_deltas (order_id, workflow, status, n) VALUES (OLD.id, OLD.workflow, OLD.status, -1);
  ELSIF counted_after THEN
    INSERT INTO order_status_deltas (order_id, workflow, status, n) VALUES (NEW.id, NEW.workflow, NEW.status, 1);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER orders_status_delta_insert AFTER INSERT ON orders
  FOR EACH ROW WHEN (NOT (NEW.body ? 'removedAt')) EXECUTE FUNCTION order_status_delta();
CREATE TRIGGER orders_status_delta_delete AFTER DELETE ON orders
  FOR EACH ROW WHEN (NOT (OLD.body ? 'removedAt')) EXECUTE FUNCTION order_status_delta();
-- A save writes body every time, so `UPDATE OF` alone would let most saves through; the WHEN
-- clause is what skips a save that leaves the status, the workflow and the removal as they were.
CREATE TRIGGER orders_status_delta_update AFTER UPDATE OF workflow, status, body ON orders
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.workflow IS DISTINCT FROM NEW.workflow
    OR (OLD.body ? 'removedAt') IS DISTINCT FROM (NEW.body ? 'removedAt'))
  EXECUTE FUNCTION order_status_delta();

-- TRUNCATE fires no row triggers: empty the counts with the orders (bench seeding does this).
CREATE FUNCTION order_status_counts_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE order_status_deltas, order_status_counts;
  RETURN NULL;
END
$$;
CREATE TRIGGER orders_status_counts_truncate AFTER TRUNCATE ON orders
  FOR EACH STATEMENT EXECUTE FUNCTION order_status_counts_truncate();

-- The orders as they are. CREATE TRIGGER above holds a lock on orders that writers wait for until
-- this migration commits, so no change slips in between this count and the first delta.
INSERT INTO order_status_counts (workflow, status, n)
  SELECT workflow, status, count(*) FROM orders WHERE NOT (body ? 'removedAt') GROUP BY workflow, status;

-- The grouped count was this index's only reader; dropping it spares every order save an index write.
DROP INDEX orders_status_counts_idx;

-- Down Migration
CREATE INDEX orders_status_counts_idx ON orders (workflow, status) WHERE NOT (body ? 'removedAt');
DROP TRIGGER orders_status_counts_truncate ON orders;
DROP TRIGGER orders_status_delta_update ON orders;
DROP TRIGGER orders_status_delta_delete ON orders;
DROP TRIGGER orders_status_delta_insert ON orders;
DROP FUNCTION order_status_counts_truncate();
DROP FUNCTION order_status_delta();
DROP TABLE order_status_counts;
DROP TABLE order_status_deltas;
