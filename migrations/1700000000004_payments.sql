-- Up Migration

-- An index of the payments orders hold (the order row holds the truth): to find a payment's
-- order by its id or gateway reference, the payment links awaiting payment, and the gateway
-- calls whose answer was never recorded (intent_at), for recovery.
CREATE TABLE payments (
  id        uuid PRIMARY KEY,
  order_id  uuid NOT NULL REFERENCES orders (id),
  method    text NOT NULL,
  gateway   text NOT NULL,
  reference text,
  state     text NOT NULL,
  intent_at timestamptz
);
CREATE INDEX payments_order_idx ON payments (order_id);
CREATE INDEX payments_intent_idx ON payments (intent_at) WHERE intent_at IS NOT NULL;
CREATE INDEX payments_awaiting_link_idx ON payments (order_id) WHERE method = 'payment_link' AND state = 'pending';

-- Gateway callbacks already applied, by the gateway's event id: a callback delivered twice
-- is applied once. Written in the same transaction as the change it made.
CREATE TABLE gateway_events (
  gateway     text NOT NULL,
  event_id    text NOT NULL,
  order_id    uuid NOT NULL,
  received_at timestamptz NOT NULL,
  PRIMARY KEY (gateway, event_id)
);

-- The built-in simulated gateway's own books: one row per idempotency key, so a retried call
-- gets the first answer and money never moves twice.
CREATE TABLE simulated_gateway_operations (
  key        text PRIMARY KEY,
  operation  text NOT NULL,
  amount     bigint NOT NULL,
  result     jsonb NOT NULL,
  created_at timestamptz NOT NULL
);

-- Down Migration
DROP TABLE simulated_gateway_operations;
DROP TABLE gateway_events;
DROP TABLE payments;
