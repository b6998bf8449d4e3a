-- Consumed events (by CloudEvents id), so that a redelivered event is applied once.
CREATE TABLE processed_event (
    event_id      text        PRIMARY KEY,
    event_type    text        NOT NULL,
    processed_at  timestamptz NOT NULL
);
