-- Up Migration

-- Stock per SKU. The levels change only together with a movement row in the ledger below,
-- so on_hand and reserved always equal the sums of their movements (ordo check stock).
CREATE TABLE inventory (
  sku        text PRIMARY KEY,
  on_hand    integer NOT NULL,
  reserved   integer NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  backorders boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL,
  -- The last line of defence against overselling: the engine checks first and says why.
  CONSTRAINT inventory_available_check CHECK (backorders OR on_hand - reserved >= 0)
);

CREATE TABLE stock_movements (
  id             uuid PRIMARY KEY,
  sku            text NOT NULL REFERENCES inventory (sku),
  kind           text NOT NULL CHECK (kind IN ('adjust', 'reserve', 'release', 'commit', 'sale', 'restock')),
  quantity       integer NOT NULL,
  on_hand_delta  integer NOT NULL,
  reserved_delta integer NOT NULL,
  order_id       uuid,
  line_id        uuid,
  reason         text,
  actor_kind     text NOT NULL,
  actor_id       text,
  at             timestamptz NOT NULL
);
CREATE INDEX stock_movements_sku_idx ON stock_movements (sku, id);
CREATE INDEX stock_movements_order_idx ON stock_movements (order_id) WHERE order_id IS NOT NULL;

-- An index of the timers orders wait on (the order row holds the truth), for the sweeper.
-- claimed_until keeps two sweepers from picking up the same timer at once.
CREATE TABLE timers (
  order_id      uuid NOT NULL REFERENCES orders (id),
  name          text NOT NULL,
  due_at        timestamptz NOT NULL,
  claimed_until timestamptz
);
CREATE INDEX timers_due_idx ON timers (due_at);
CREATE INDEX timers_order_idx ON timers (order_id);

-- Down Migration
DROP TABLE timers;
DROP TABLE stock_movements;
DROP TABLE inventory;
