-- Up Migration
-- Customer and staff messages (templates/README.md): what each event called for, rendered,
-- and where its sending stands. Kept with the order (distributed by order_id on Citus).
CREATE TABLE notifications (
  order_id        uuid NOT NULL,
  id              uuid NOT NULL,
  -- The event that called for it, or a key of its own: 'order' (once per order: the confirmation),
  -- 'expiry:<time>' (a payment link's reminder), 'step:<name>' (a completion step's notice).
  event_id        text NOT NULL,
  -- 'event': the relay sends it; 'step': a completion step sends it and records its outcome itself.
  origin          text NOT NULL CHECK (origin IN ('event', 'step')),
  message         text NOT NULL,
  recipient       text NOT NULL,
  audience        text NOT NULL CHECK (audience IN ('customer', 'staff')),
  subject         text NOT NULL,
  text_body       text NOT NULL,
  html_body       text NOT NULL,
  status          text NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
  attempts        integer NOT NULL DEFAULT 0,
  -- Pending: when to try; sending: when the sender's lease lapses (then it is tried again).
  next_attempt_at timestamptz,
  lease_token     uuid,
  lease_until     timestamptz,
  last_error      text,
  sent_at         timestamptz,
  created_at      timestamptz NOT NULL,
  PRIMARY KEY (order_id, id),
  -- One event never makes one message twice for one recipient, however often it is fanned out.
  CONSTRAINT notifications_dedupe_key UNIQUE (order_id, event_id, message, recipient)
);
CREATE INDEX notifications_due_idx ON notifications (next_attempt_at) WHERE status IN ('pending', 'sending') AND origin = 'event';
CREATE INDEX notifications_finished_idx ON notifications (created_at) WHERE status IN ('sent', 'failed');

-- Down Migration
DROP TABLE notifications;
