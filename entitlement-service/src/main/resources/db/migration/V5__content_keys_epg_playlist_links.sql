-- Content keys: one random 128-bit key per channel per key period (period = floor(epoch seconds / channel's
-- key_rotation_seconds)). Stored envelope-encrypted: AES-256-GCM under the key-encryption key named by kek_id.
CREATE TABLE content_key (
    channel_id   text        NOT NULL REFERENCES channel (id) ON DELETE CASCADE,
    period       bigint      NOT NULL CHECK (period >= 0),
    kid          uuid        NOT NULL UNIQUE,
    kek_id       text        NOT NULL,
    wrapped_key  bytea       NOT NULL,
    not_before   timestamptz NOT NULL,
    not_after    timestamptz NOT NULL,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (channel_id, period)
);
CREATE INDEX content_key_kek ON content_key (kek_id);

-- Programme guide (XMLTV). Keyed by the channel's EPG id, so a guide can be loaded before the channel exists.
CREATE TABLE epg_programme (
    id           bigserial   PRIMARY KEY,
    epg_id       text        NOT NULL,
    starts_at    timestamptz NOT NULL,
    ends_at      timestamptz NOT NULL CHECK (ends_at > starts_at),
    title        text        NOT NULL,
    sub_title    text,
    description  text,
    category     text,
    episode      text,
    rating       text,
    icon_url     text,
    imported_at  timestamptz NOT NULL
);
CREATE INDEX epg_programme_channel_time ON epg_programme (epg_id, starts_at);

-- Display names from the guide's <channel> elements (for export of channels the catalogue does not know yet).
CREATE TABLE epg_channel (
    epg_id        text PRIMARY KEY,
    display_name  text NOT NULL,
    icon_url      text
);

-- Playlist links: a revocable, playback-only credential in M3U URLs, so the URLs carry no password.
-- Only a SHA-256 digest of the secret is kept.
CREATE TABLE playlist_link (
    id            uuid        PRIMARY KEY,
    account_id    uuid        NOT NULL,
    secret_hash   text        NOT NULL UNIQUE,
    label         text,
    created_at    timestamptz NOT NULL,
    last_used_at  timestamptz,
    revoked_at    timestamptz
);
CREATE INDEX playlist_link_account ON playlist_link (account_id);
