-- Up Migration
-- Which clock a database's orders are made on. A rehearsal (ORDO_CLOCK=test) dates its orders
-- in a future of its own: marking its database keeps rehearsals apart from real trading.
-- No row: made on the system clock (every database before this migration was).
CREATE TABLE ordo_clock (
  one_row boolean PRIMARY KEY DEFAULT true CHECK (one_row),
  clock text NOT NULL CHECK (clock IN ('system', 'test')),
  since timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE ordo_clock;
