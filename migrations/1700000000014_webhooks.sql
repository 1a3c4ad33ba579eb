-- Up Migration
-- Webhooks (issue 12): subscriptions to the event stream, and one delivery per event and
-- subscription, with every attempt logged.

-- Few rows, read by every fan-out: a reference table on Citus (a copy on every node).
CREATE TABLE webhook_subscriptions (
  id                    uuid PRIMARY KEY,
  url                   text NOT NULL,
  -- Event type patterns: 'order.*', 'payment.settled', '*'.
  events                text[] NOT NULL,
  description           text,
  enabled               boolean NOT NULL DEFAULT true,
  -- 'whsec_' and the base64 of the signing key; the previous one signs too until previous_secret_until.
  secret                text NOT NULL,
  previous_secret       text,
  previous_secret_until timestamptz,
  -- Why Ordo switched it off: 'gone' (410) or 'failing' (days of failures).
  disabled_reason       text,
  -- Since when every attempt failed; cleared by any success.
  failing_since         timestamptz,
  created_at            timestamptz NOT NULL,
  updated_at            timestamptz NOT NULL
);

-- Keyed by order id, so that on Citus a delivery lives beside its order and its event.
-- A delivery's id is derived from its subscription and event: one delivery per pair, however
-- often a fan-out is attempted. Store-wide events have the order id of the store stream.
CREATE TABLE webhook_deliveries (
  order_id        uuid NOT NULL,
  id              uuid NOT NULL,
  subscription_id uuid NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
  event_id        uuid NOT NULL,
  event_type      text NOT NULL,
  -- When the event happened: what a recovery 'since' compares with.
  event_at        timestamptz NOT NULL,
  -- The event's number within its order: deliveries of one order and subscription go in this order.
  sequence        bigint NOT NULL,
  position        bigint NOT NULL,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'delivered', 'failed')),
  -- Attempts made in the current round (a redelivery starts a new round); the log keeps them all.
  attempts        integer NOT NULL DEFAULT 0,
  -- When the next attempt is due; while 'sending', when the lease lapses and another relay may retry.
  next_attempt_at timestamptz NOT NULL,
  lease_token     uuid,
  lease_until     timestamptz,
  -- [{ at, status, durationMs, error, response }]; past 50 entries the oldest go.
  log             jsonb NOT NULL DEFAULT '[]',
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  PRIMARY KEY (order_id, id)
);
CREATE INDEX webhook_deliveries_id_idx ON webhook_deliveries (id);
-- The relays' claim: open deliveries by due time.
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status IN ('pending', 'sending');
-- The head-of-line check: an earlier open delivery of the same subscription and order.
CREATE INDEX webhook_deliveries_line_idx ON webhook_deliveries (subscription_id, order_id, sequence) WHERE status IN ('pending', 'sending');
-- Recovery (failed since a time) and the failed count of /metrics.
CREATE INDEX webhook_deliveries_failed_idx ON webhook_deliveries (subscription_id, event_at) WHERE status = 'failed';
-- The delivery log of one subscription, newest first.
CREATE INDEX webhook_deliveries_subscription_idx ON webhook_deliveries (subscription_id, position);

-- Down Migration
DROP TABLE webhook_deliveries;
DROP TABLE webhook_subscriptions;
