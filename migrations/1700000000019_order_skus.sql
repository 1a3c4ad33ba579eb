-- Up Migration
-- The admin's search (GET /v1/orders/search) also finds an order by the SKU of any of its lines.
-- That had no index: whenever the other alternatives of `q` found less than a page (an email, a
-- code, a text matching nothing), it read the lines of every order, about 0.4 s at 100,000 orders
-- (bench/REPORT.md, "Scale of data").
--
-- One row per SKU an order's lines hold. The key's order is the search's: a SKU's orders newest
-- first, read backwards from the newest (or from the cursor) and stopped at a full page, however
-- many orders hold that SKU. A save writes these rows only when the lines' SKUs changed (with the
-- search text): a status change writes none.
--
-- Keyed by the SKU and the order's id and, on Citus, distributed by the order's id beside the
-- orders (docs/scaling.md). No foreign key: nothing reads a row without its order, and the
-- order's own save writes both.
CREATE TABLE order_skus (
  sku      text NOT NULL,
  order_id uuid NOT NULL,
  PRIMARY KEY (sku, order_id)
);

-- Writers wait until this migration commits: no order saved meanwhile misses its rows.
LOCK TABLE orders IN SHARE MODE;
INSERT INTO order_skus (sku, order_id)
  SELECT DISTINCT l ->> 'sku', o.id
  FROM orders o, jsonb_array_elements(coalesce(o.body -> 'lines', '[]')) l
  WHERE l ->> 'sku' IS NOT NULL;

-- Down Migration
DROP TABLE order_skus;
