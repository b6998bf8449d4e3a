-- Recent sign-in attempts per account, for operators and for the account holder; pruned after the retention period.
CREATE TABLE login_event (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id  uuid        REFERENCES account (id) ON DELETE CASCADE,
    outcome     text        NOT NULL,      -- succeeded | failed
    reason      text,
    acr         text,
    ip          text,
    network     text,
    user_agent  text,
    device_id   text,
    country     text,
    at          timestamptz NOT NULL
);
CREATE INDEX login_event_account ON login_event (account_id, at DESC);
CREATE INDEX login_event_at ON login_event (at);

-- Consumed events (by CloudEvents id), so that a redelivered security action is applied once.
CREATE TABLE processed_event (
    event_id      text        PRIMARY KEY,
    event_type    text        NOT NULL,
    processed_at  timestamptz NOT NULL
);

-- Service clients for the client-credentials grant; the secret is random and stored as a SHA-256 digest.
CREATE TABLE service_client (
    client_id    text        PRIMARY KEY,
    secret_hash  text        NOT NULL,
    roles        text        NOT NULL DEFAULT 'service',
    created_at   timestamptz NOT NULL,
    disabled_at  timestamptz
);
