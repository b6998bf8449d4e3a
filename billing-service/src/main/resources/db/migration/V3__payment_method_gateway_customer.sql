-- The gateway's customer a card belongs to (Stripe: cus_…); a card saved for later charges must be charged with it.
-- Null for gateways without customers (the sandbox) and for cards attached before this column existed.
ALTER TABLE payment_method ADD COLUMN gateway_customer_id text;

-- Charges waiting for the customer's action are swept when they expire.
CREATE INDEX payment_requires_action ON payment (attempted_at) WHERE status = 'REQUIRES_ACTION';
