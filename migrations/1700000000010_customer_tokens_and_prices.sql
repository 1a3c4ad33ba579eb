-- Up Migration
-- Who may do what (issue 11). A storefront key may now act for any customer (no customer_id);
-- keys bound to one customer keep working. Customer tokens are short-lived keys a storefront
-- issues for one customer: they live in api_keys too, so one indexed lookup authenticates every
-- kind of caller and one listing shows (and revokes) them all.
ALTER TABLE api_keys ADD COLUMN expires_at timestamptz;
ALTER TABLE api_keys ADD COLUMN issued_by uuid;
ALTER TABLE api_keys ADD COLUMN last_used_at timestamptz;
ALTER TABLE api_keys DROP CONSTRAINT api_keys_check;
ALTER TABLE api_keys DROP CONSTRAINT api_keys_role_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_role_check CHECK (role IN ('admin', 'storefront', 'customer'));
ALTER TABLE api_keys ADD CONSTRAINT api_keys_customer_check CHECK (role <> 'customer' OR (customer_id IS NOT NULL AND expires_at IS NOT NULL));

-- The price of a SKU in one currency, for lines whose caller may not set a price.
CREATE TABLE prices (
  sku        text NOT NULL,
  currency   text NOT NULL,
  unit_price bigint NOT NULL CHECK (unit_price >= 0),
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (sku, currency)
);

-- Down Migration
DROP TABLE prices;
DELETE FROM api_keys WHERE role = 'customer' OR (role = 'storefront' AND customer_id IS NULL);
ALTER TABLE api_keys DROP COLUMN last_used_at;
ALTER TABLE api_keys DROP COLUMN issued_by;
ALTER TABLE api_keys DROP COLUMN expires_at;
ALTER TABLE api_keys DROP CONSTRAINT api_keys_role_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_role_check CHECK (role IN ('admin', 'storefront'));
ALTER TABLE api_keys ADD CONSTRAINT api_keys_check CHECK (role = 'admin' OR customer_id IS NOT NULL);
