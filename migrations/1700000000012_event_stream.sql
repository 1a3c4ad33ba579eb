-- Up Migration
-- The event stream (docs/events.md). Outbox rows become events with a per-order sequence,
-- given in the order's own save, and a place in the stream (position), given by the relay.

-- Each order counts its events; an event's sequence is that count as its save wrote it, so an
-- order's events are numbered 1, 2, 3… with no gap (saves of one order are serialised by its version).
ALTER TABLE orders ADD COLUMN events bigint NOT NULL DEFAULT 0;
ALTER TABLE outbox
  ADD COLUMN sequence bigint,
  ADD COLUMN order_code bigint,
  ADD COLUMN position bigint;

WITH numbered AS (
  SELECT order_id, id, row_number() OVER (PARTITION BY order_id ORDER BY created_at, id) AS sequence FROM outbox
)
UPDATE outbox o SET sequence = n.sequence FROM numbered n WHERE o.order_id = n.order_id AND o.id = n.id;
UPDATE orders SET events = c.n FROM (SELECT order_id, count(*) AS n FROM outbox GROUP BY order_id) c WHERE orders.id = c.order_id;
UPDATE outbox o SET order_code = orders.code FROM orders WHERE orders.id = o.order_id;
-- Events written before the stream existed take their places now; nobody subscribed to them.
WITH placed AS (
  SELECT order_id, id, row_number() OVER (ORDER BY created_at, order_id, sequence) AS position FROM outbox
)
UPDATE outbox o SET position = p.position, published_at = coalesce(o.published_at, now())
FROM placed p WHERE o.order_id = p.order_id AND o.id = p.id;
ALTER TABLE outbox ALTER COLUMN sequence SET NOT NULL;

-- The highest place given so far: kept apart from the events, which are pruned.
CREATE TABLE event_places (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  top bigint NOT NULL
);
INSERT INTO event_places (top) SELECT coalesce(max(position), 0) FROM outbox;

-- One event per number per order: the no-gap, no-duplicate rule held by the database too.
CREATE UNIQUE INDEX outbox_order_sequence_idx ON outbox (order_id, sequence);
-- The pull API and the relay read the stream by position; the relay finds unplaced rows.
CREATE INDEX outbox_position_idx ON outbox (position) WHERE position IS NOT NULL;
DROP INDEX outbox_pending_idx;
-- In the placer's order, so that it reads the next batch straight off the index.
CREATE INDEX outbox_unplaced_idx ON outbox (created_at, order_id, sequence) WHERE position IS NULL;
DROP INDEX outbox_id_idx;

-- Down Migration
CREATE INDEX outbox_id_idx ON outbox (id);
DROP INDEX outbox_unplaced_idx;
CREATE INDEX outbox_pending_idx ON outbox (id) WHERE published_at IS NULL;
DROP INDEX outbox_position_idx;
DROP INDEX outbox_order_sequence_idx;
DROP TABLE event_places;
ALTER TABLE outbox DROP COLUMN position, DROP COLUMN order_code, DROP COLUMN sequence;
ALTER TABLE orders DROP COLUMN events;
