-- Up Migration
-- The admin's search filters the orders that have a return (returns=any, returns=open). It looked
-- into every order's document for one: about 0.45 s at 100,000 orders when few had a return, as
-- in most shops (bench/REPORT.md, "Scale of data"). Every return already has its row in
-- order_refs (migration 005, written when an order's returns change): the orders with a return
-- are read off this index, and only their documents are looked into for an open one. Parcels'
-- rows stay out of it, so a fulfilment writes no entry into it.
CREATE INDEX order_refs_return_order_idx ON order_refs (order_id) WHERE kind = 'return';

-- Down Migration
DROP INDEX order_refs_return_order_idx;
