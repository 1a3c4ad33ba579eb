-- Up Migration

-- Orders are stored as one row per order: the columns that lists filter on, and the rest of
-- the aggregate as a JSON document. One row read loads an order; one conditional update
-- (WHERE version = expected) saves it. Every table below is keyed or co-located by order id.
CREATE SEQUENCE order_code_seq START 1001;

CREATE TABLE orders (
  id               uuid PRIMARY KEY,
  code             bigint NOT NULL UNIQUE DEFAULT nextval('order_code_seq'),
  workflow         text NOT NULL,
  workflow_version integer NOT NULL,
  status           jsonb NOT NULL,
  -- 'track:state' and 'state' for every track, so that ?status= filters use one GIN index.
  status_tags      text[] NOT NULL,
  currency         char(3) NOT NULL,
  customer_id      text,
  search           text NOT NULL,
  body             jsonb NOT NULL,
  version          integer NOT NULL,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL,
  placed_at        timestamptz
);
CREATE INDEX orders_status_tags_idx ON orders USING gin (status_tags);
CREATE INDEX orders_workflow_idx ON orders (workflow, id DESC);
CREATE INDEX orders_customer_idx ON orders (customer_id, id DESC);

-- One row per thing that happened to an order: who, what, from, to, why, when.
CREATE TABLE order_history (
  id         uuid PRIMARY KEY,
  order_id   uuid NOT NULL REFERENCES orders (id),
  type       text NOT NULL,
  track      text,
  from_state text,
  to_state   text,
  actor_kind text NOT NULL,
  actor_id   text,
  reason     text,
  cause      text,
  data       jsonb NOT NULL DEFAULT '{}',
  at         timestamptz NOT NULL
);
CREATE INDEX order_history_order_idx ON order_history (order_id, id);

-- The transactional outbox: written with the change it announces, relayed afterwards.
CREATE TABLE outbox (
  id           uuid PRIMARY KEY,
  order_id     uuid,
  type         text NOT NULL,
  payload      jsonb NOT NULL,
  created_at   timestamptz NOT NULL,
  published_at timestamptz
);
CREATE INDEX outbox_pending_idx ON outbox (id) WHERE published_at IS NULL;

CREATE TABLE api_keys (
  id          uuid PRIMARY KEY,
  name        text NOT NULL,
  role        text NOT NULL CHECK (role IN ('admin', 'storefront')),
  customer_id text,
  key_hash    text NOT NULL UNIQUE,
  key_prefix  text NOT NULL,
  created_at  timestamptz NOT NULL,
  revoked_at  timestamptz,
  CHECK (role = 'admin' OR customer_id IS NOT NULL)
);

-- A write sent again with the same Idempotency-Key gets the first answer back.
CREATE TABLE idempotency_keys (
  principal    text NOT NULL,
  key          text NOT NULL,
  request_hash text NOT NULL,
  state        text NOT NULL CHECK (state IN ('running', 'done')),
  status_code  integer,
  response     text,
  created_at   timestamptz NOT NULL,
  PRIMARY KEY (principal, key)
);

-- Down Migration
DROP TABLE idempotency_keys;
DROP TABLE api_keys;
DROP TABLE outbox;
DROP TABLE order_history;
DROP TABLE orders;
DROP SEQUENCE order_code_seq;
