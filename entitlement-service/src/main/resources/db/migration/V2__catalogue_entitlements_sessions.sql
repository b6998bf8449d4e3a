-- Channel catalogue (operators manage it).
CREATE TABLE channel (
    id                    text        PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    name                  text        NOT NULL,
    logo_url              text,
    category              text        NOT NULL DEFAULT 'General',
    number                integer     NOT NULL UNIQUE CHECK (number > 0),
    epg_id                text,
    origins               text        NOT NULL,          -- ordered, newline-separated base URLs
    key_rotation_seconds  integer     NOT NULL DEFAULT 3600 CHECK (key_rotation_seconds >= 60),
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL
);

CREATE TABLE channel_package (
    id          text        PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    name        text        NOT NULL,
    created_at  timestamptz NOT NULL
);

CREATE TABLE package_channel (
    package_id  text NOT NULL REFERENCES channel_package (id) ON DELETE CASCADE,
    channel_id  text NOT NULL REFERENCES channel (id) ON DELETE CASCADE,
    PRIMARY KEY (package_id, channel_id)
);

-- What an account may watch right now, and on how many screens. One row per account; its row lock serialises
-- playback-session starts of that account. state_at orders updates so an older event never overrides a newer state.
CREATE TABLE entitlement (
    account_id       uuid        PRIMARY KEY,
    status           text        NOT NULL CHECK (status IN ('active', 'revoked')),
    plan_id          text,
    packages         text        NOT NULL DEFAULT '',    -- comma-separated package ids
    max_streams      integer     NOT NULL CHECK (max_streams >= 0),
    overflow_policy  text        NOT NULL CHECK (overflow_policy IN ('refuse', 'evict_oldest')),
    source           text        NOT NULL,               -- 'billing' or 'operator'
    state_at         timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);

CREATE TABLE playback_session (
    id                 uuid        PRIMARY KEY,
    account_id         uuid        NOT NULL,
    channel_id         text        NOT NULL REFERENCES channel (id),
    device_id          text,
    client_ip          text,
    watermark_id       bigint      NOT NULL,
    started_at         timestamptz NOT NULL,
    last_heartbeat_at  timestamptz NOT NULL,
    expires_at         timestamptz NOT NULL,
    ended_at           timestamptz,
    end_reason         text
);
CREATE INDEX playback_session_live ON playback_session (account_id, started_at) WHERE ended_at IS NULL;
CREATE INDEX playback_session_expiry ON playback_session (expires_at) WHERE ended_at IS NULL;
