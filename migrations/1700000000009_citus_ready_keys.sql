-- Up Migration
-- Keys that a distributed PostgreSQL (Citus) can enforce on one shard: each leads with the
-- column its table is distributed by (order id on the order side, SKU on the stock side).
-- On one PostgreSQL they cost nothing, so everyone gets the same schema (docs/scaling.md).

-- An order's history and events, keyed by the order first; the key serves "this order's rows
-- in id order", so the separate index on (order_id, id) goes.
ALTER TABLE order_history DROP CONSTRAINT order_history_pkey, ADD PRIMARY KEY (order_id, id);
DROP INDEX order_history_order_idx;

-- Every event is about an order: the only writer is the order's own save, which names it.
ALTER TABLE outbox ALTER COLUMN order_id SET NOT NULL;
ALTER TABLE outbox DROP CONSTRAINT outbox_pkey, ADD PRIMARY KEY (order_id, id);
-- The event stream across orders still reads in id order (the old key's index did that).
CREATE INDEX outbox_id_idx ON outbox (id);

-- A callback names its payment, hence its order: deduplicating per order is enough.
ALTER TABLE gateway_events DROP CONSTRAINT gateway_events_pkey, ADD PRIMARY KEY (order_id, gateway, event_id);

-- The ledger keyed by SKU first; the key serves "this SKU's movements in id order".
ALTER TABLE stock_movements DROP CONSTRAINT stock_movements_pkey, ADD PRIMARY KEY (sku, id);
DROP INDEX stock_movements_sku_idx;

-- Codes are unique because one sequence hands them out; a unique constraint on a column other
-- than the distribution column cannot be enforced across shards. Lookups keep an index.
-- The column needs no default either: a save always names the code (or leaves it empty until
-- the order is numbered), and a default would tie the sequence to the distributed table.
ALTER TABLE orders DROP CONSTRAINT orders_code_key;
ALTER TABLE orders ALTER COLUMN code DROP DEFAULT;
CREATE INDEX orders_code_idx ON orders (code);

-- Payments and fulfillment/return ids are looked up by their own id and distributed by it,
-- so they cannot point into orders (the order's save writes them with the order).
ALTER TABLE payments DROP CONSTRAINT payments_order_id_fkey;
ALTER TABLE order_refs DROP CONSTRAINT order_refs_order_id_fkey;

-- Down Migration
ALTER TABLE order_refs ADD CONSTRAINT order_refs_order_id_fkey FOREIGN KEY (order_id) REFERENCES orders (id);
ALTER TABLE payments ADD CONSTRAINT payments_order_id_fkey FOREIGN KEY (order_id) REFERENCES orders (id);
DROP INDEX orders_code_idx;
ALTER TABLE orders ALTER COLUMN code SET DEFAULT nextval('order_code_seq');
ALTER TABLE orders ADD CONSTRAINT orders_code_key UNIQUE (code);
CREATE INDEX stock_movements_sku_idx ON stock_movements (sku, id);
ALTER TABLE stock_movements DROP CONSTRAINT stock_movements_pkey, ADD PRIMARY KEY (id);
ALTER TABLE gateway_events DROP CONSTRAINT gateway_events_pkey, ADD PRIMARY KEY (gateway, event_id);
DROP INDEX outbox_id_idx;
ALTER TABLE outbox DROP CONSTRAINT outbox_pkey, ADD PRIMARY KEY (id);
ALTER TABLE outbox ALTER COLUMN order_id DROP NOT NULL;
CREATE INDEX order_history_order_idx ON order_history (order_id, id);
ALTER TABLE order_history DROP CONSTRAINT order_history_pkey, ADD PRIMARY KEY (id);
