-- Keys that sign playback tokens (ES256). stream-gateway verifies tokens offline from the published set:
-- previous (still verifies), current (signs), next (published ahead). Private keys are AES-256-GCM sealed.
CREATE TABLE playback_signing_key (
    kid             text        PRIMARY KEY,
    status          text        NOT NULL CHECK (status IN ('next', 'current', 'previous', 'retired')),
    public_jwk      text        NOT NULL,
    private_cipher  bytea       NOT NULL,
    private_key_id  text        NOT NULL,
    created_at      timestamptz NOT NULL,
    activated_at    timestamptz,
    retired_at      timestamptz
);
