-- Transactional outbox: an event is written in the same transaction as the state change it describes and
-- relayed to Kafka afterwards, so a crash between commit and send loses nothing. The identity column gives
-- the relay its order; event_id is the CloudEvents id that consumers deduplicate on.
CREATE TABLE outbox_event (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id     uuid        NOT NULL UNIQUE,
    event_key    text        NOT NULL,
    event_type   text        NOT NULL,
    payload      jsonb       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz,
    attempts     integer     NOT NULL DEFAULT 0,
    last_error   text
);

CREATE INDEX outbox_event_pending ON outbox_event (id) WHERE published_at IS NULL;
