-- Accounts and their credentials.
CREATE TABLE account (
    id             uuid        PRIMARY KEY,
    email          text        NOT NULL UNIQUE,          -- normalised (trimmed, NFKC, lower-case)
    password_hash  text        NOT NULL,                 -- PHC string ($argon2id$v=19$m=..,t=..,p=..$salt$hash)
    roles          text        NOT NULL DEFAULT 'subscriber', -- comma-separated: subscriber, operator, admin
    locked         boolean     NOT NULL DEFAULT false,  -- permanent lock (operator or security action)
    locked_reason  text,
    locked_at      timestamptz,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);

-- TOTP (RFC 6238) second factor. The shared secret is AES-256-GCM encrypted under a key named by secret_key_id.
CREATE TABLE totp_credential (
    account_id       uuid        PRIMARY KEY REFERENCES account (id) ON DELETE CASCADE,
    secret_cipher    bytea       NOT NULL,
    secret_key_id    text        NOT NULL,
    confirmed_at     timestamptz,
    last_used_step   bigint,                              -- a code is accepted once: steps <= this are refused
    created_at       timestamptz NOT NULL
);

CREATE TABLE recovery_code (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id  uuid        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    code_hash   text        NOT NULL,                     -- SHA-256 of the code (codes are random, 50+ bits)
    used_at     timestamptz,
    created_at  timestamptz NOT NULL
);
CREATE INDEX recovery_code_account ON recovery_code (account_id);

-- A sign-in on one device; access tokens carry its id as `sid`.
CREATE TABLE auth_session (
    id             uuid        PRIMARY KEY,
    account_id     uuid        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    acr            text        NOT NULL,
    amr            text        NOT NULL,
    device_id      text,
    user_agent     text,
    ip             text,
    created_at     timestamptz NOT NULL,
    last_seen_at   timestamptz NOT NULL,
    revoked_at     timestamptz,
    revoked_reason text
);
CREATE INDEX auth_session_account ON auth_session (account_id) WHERE revoked_at IS NULL;

-- Opaque rotating refresh tokens; all tokens of one session form a family. Only hashes are stored.
CREATE TABLE refresh_token (
    token_hash  text        PRIMARY KEY,                  -- SHA-256 (base64url) of the opaque token
    session_id  uuid        NOT NULL REFERENCES auth_session (id) ON DELETE CASCADE,
    issued_at   timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);
CREATE INDEX refresh_token_session ON refresh_token (session_id);

-- Pending second step of a password login (mfa_token); single use, short-lived.
CREATE TABLE mfa_challenge (
    token_hash  text        PRIMARY KEY,
    account_id  uuid        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    device_id   text,
    user_agent  text,
    ip          text,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);

-- Token signing keys (ES256). Private keys are AES-256-GCM encrypted. Published: previous, current, next.
CREATE TABLE signing_key (
    kid             text        PRIMARY KEY,
    status          text        NOT NULL CHECK (status IN ('next', 'current', 'previous', 'retired')),
    public_jwk      text        NOT NULL,
    private_cipher  bytea       NOT NULL,
    private_key_id  text        NOT NULL,
    created_at      timestamptz NOT NULL,
    activated_at    timestamptz,
    retired_at      timestamptz
);

-- Failed sign-in counters per scope (account e-mail, client IP, client network) for throttling.
CREATE TABLE login_throttle (
    scope          text        NOT NULL,                  -- 'account' | 'ip' | 'network'
    subject        text        NOT NULL,
    failures       integer     NOT NULL,
    window_start   timestamptz NOT NULL,
    blocked_until  timestamptz,
    lockouts       integer     NOT NULL DEFAULT 0,        -- consecutive lockouts: the delay grows with each
    PRIMARY KEY (scope, subject)
);
