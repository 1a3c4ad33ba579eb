-- Up Migration
-- The merchant's changes to a shipped workflow: settings, status names, statuses of its own.
-- Read with the order on every command, so a change applies to the next command everywhere.
CREATE TABLE workflow_customizations (
  workflow   text PRIMARY KEY,
  revision   integer NOT NULL CHECK (revision > 0),
  settings   jsonb NOT NULL,
  labels     jsonb NOT NULL,
  statuses   jsonb NOT NULL,
  updated_at timestamptz NOT NULL
);

-- Down Migration
DROP TABLE workflow_customizations;
