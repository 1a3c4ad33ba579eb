-- Up Migration
-- Which order a fulfillment or a return belongs to, for the routes that name them by id.
CREATE TABLE order_refs (
  id       uuid PRIMARY KEY,
  order_id uuid NOT NULL REFERENCES orders (id),
  kind     text NOT NULL CHECK (kind IN ('fulfillment', 'return'))
);
CREATE INDEX order_refs_order_idx ON order_refs (order_id);

-- Down Migration
DROP TABLE order_refs;
