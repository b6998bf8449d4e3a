-- Plans, subscriptions, invoices, payments, payment-method tokens, the webhook log and idempotency keys.
-- Money is always an integer amount in minor units (cents) next to its ISO 4217 currency; never floating point.

CREATE TABLE plan (
    id                   uuid        PRIMARY KEY,
    code                 text        NOT NULL UNIQUE,
    name                 text        NOT NULL,
    price_minor          bigint      NOT NULL CHECK (price_minor >= 0),
    currency             char(3)     NOT NULL,
    billing_interval     text        NOT NULL CHECK (billing_interval IN ('DAY', 'WEEK', 'MONTH', 'YEAR')),
    interval_count       integer     NOT NULL DEFAULT 1 CHECK (interval_count > 0),
    trial_days           integer     NOT NULL DEFAULT 0 CHECK (trial_days >= 0),
    channel_packages     text        NOT NULL DEFAULT '[]',  -- JSON array of package codes
    max_streams          integer     NOT NULL CHECK (max_streams > 0),
    stream_limit_policy  text        NOT NULL CHECK (stream_limit_policy IN ('REFUSE_NEW', 'END_OLDEST')),
    active               boolean     NOT NULL DEFAULT true,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    version              bigint      NOT NULL DEFAULT 0
);

-- Payment methods: only the gateway's token and display hints; card numbers never reach Palisade.
CREATE TABLE payment_method (
    id             uuid        PRIMARY KEY,
    account_id     text        NOT NULL,
    gateway        text        NOT NULL,
    gateway_token  text        NOT NULL,
    brand          text,
    last4          char(4),
    created_at     timestamptz NOT NULL,
    detached_at    timestamptz
);
CREATE INDEX payment_method_account ON payment_method (account_id);

CREATE TABLE subscription (
    id                    uuid        PRIMARY KEY,
    account_id            text        NOT NULL,
    plan_id               uuid        NOT NULL REFERENCES plan (id),
    status                text        NOT NULL CHECK (status IN ('INCOMPLETE', 'TRIALING', 'ACTIVE', 'PAST_DUE', 'CANCELED')),
    payment_method_id     uuid        REFERENCES payment_method (id),
    current_period_start  timestamptz NOT NULL,
    current_period_end    timestamptz NOT NULL,
    trial_end             timestamptz,
    cancel_at_period_end  boolean     NOT NULL DEFAULT false,
    canceled_at           timestamptz,
    past_due_since        timestamptz,
    next_retry_at         timestamptz,
    retry_count           integer     NOT NULL DEFAULT 0,
    pending_payment_id    uuid,
    credit_minor          bigint      NOT NULL DEFAULT 0 CHECK (credit_minor >= 0),
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL,
    version               bigint      NOT NULL DEFAULT 0
);
-- At most one live subscription per account.
CREATE UNIQUE INDEX subscription_one_live_per_account ON subscription (account_id) WHERE status <> 'CANCELED';
CREATE INDEX subscription_account ON subscription (account_id);
CREATE INDEX subscription_period_end ON subscription (current_period_end) WHERE status IN ('TRIALING', 'ACTIVE');
CREATE INDEX subscription_retry ON subscription (next_retry_at) WHERE status = 'PAST_DUE';

-- Every state change of a subscription, in order.
CREATE TABLE subscription_transition (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subscription_id  uuid        NOT NULL REFERENCES subscription (id),
    from_status      text,
    to_status        text        NOT NULL,
    reason           text        NOT NULL,
    at               timestamptz NOT NULL
);
CREATE INDEX subscription_transition_subscription ON subscription_transition (subscription_id, id);

CREATE SEQUENCE invoice_number_seq;

-- Invoices are immutable once issued: only their payment status may change afterwards (enforced below).
CREATE TABLE invoice (
    id               uuid        PRIMARY KEY,
    number           text        NOT NULL UNIQUE,
    account_id       text        NOT NULL,
    subscription_id  uuid        NOT NULL REFERENCES subscription (id),
    status           text        NOT NULL CHECK (status IN ('OPEN', 'PAID', 'VOID')),
    reason           text        NOT NULL,
    currency         char(3)     NOT NULL,
    total_minor      bigint      NOT NULL,
    period_start     timestamptz NOT NULL,
    period_end       timestamptz NOT NULL,
    issued_at        timestamptz NOT NULL,
    paid_at          timestamptz
);
CREATE INDEX invoice_account ON invoice (account_id, issued_at DESC);

CREATE TABLE invoice_line (
    id                  bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    invoice_id          uuid        NOT NULL REFERENCES invoice (id),
    position            integer     NOT NULL,
    description         text        NOT NULL,
    amount_minor        bigint      NOT NULL,
    period_start        timestamptz NOT NULL,
    period_end          timestamptz NOT NULL,
    proration           boolean     NOT NULL DEFAULT false,
    UNIQUE (invoice_id, position)
);

CREATE FUNCTION invoice_immutable() RETURNS trigger AS $$
BEGIN
    IF NEW.number <> OLD.number OR NEW.account_id <> OLD.account_id OR NEW.subscription_id <> OLD.subscription_id
        OR NEW.currency <> OLD.currency OR NEW.total_minor <> OLD.total_minor OR NEW.issued_at <> OLD.issued_at
        OR NEW.period_start <> OLD.period_start OR NEW.period_end <> OLD.period_end OR NEW.reason <> OLD.reason THEN
        RAISE EXCEPTION 'invoice % is issued and immutable', OLD.number;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER invoice_immutable BEFORE UPDATE ON invoice FOR EACH ROW EXECUTE FUNCTION invoice_immutable();
CREATE FUNCTION issued_record_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% of an issued invoice cannot be changed or deleted', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER invoice_no_delete BEFORE DELETE ON invoice FOR EACH ROW EXECUTE FUNCTION issued_record_immutable();
CREATE TRIGGER invoice_line_immutable BEFORE UPDATE OR DELETE ON invoice_line FOR EACH ROW EXECUTE FUNCTION issued_record_immutable();

-- Charges through the payment gateway. gateway_payment_id is the gateway's reference (webhooks name it).
CREATE TABLE payment (
    id                  uuid        PRIMARY KEY,
    account_id          text        NOT NULL,
    subscription_id     uuid        NOT NULL REFERENCES subscription (id),
    invoice_id          uuid        NOT NULL REFERENCES invoice (id),
    payment_method_id   uuid        NOT NULL REFERENCES payment_method (id),
    purpose             text        NOT NULL CHECK (purpose IN ('SUBSCRIBE', 'RENEWAL', 'RETRY', 'PLAN_CHANGE')),
    amount_minor        bigint      NOT NULL CHECK (amount_minor > 0),
    currency            char(3)     NOT NULL,
    status              text        NOT NULL CHECK (status IN ('PROCESSING', 'REQUIRES_ACTION', 'SUCCEEDED', 'FAILED')),
    gateway             text        NOT NULL,
    gateway_payment_id  text        UNIQUE,
    next_action_url     text,
    failure_code        text,
    attempted_at        timestamptz NOT NULL,
    settled_at          timestamptz
);
CREATE INDEX payment_subscription ON payment (subscription_id, attempted_at);

-- Every gateway webhook event accepted, once per event id: the primary key is what makes processing exactly-once.
CREATE TABLE webhook_event (
    event_id      text        PRIMARY KEY,
    gateway       text        NOT NULL,
    event_type    text        NOT NULL,
    payload       jsonb       NOT NULL,
    received_at   timestamptz NOT NULL
);

-- Idempotency-Key: the first response to a state-changing POST, replayed for the same key and body until expiry.
CREATE TABLE idempotency_key (
    account_id     text        NOT NULL,
    idem_key       text        NOT NULL,
    fingerprint    text        NOT NULL,
    status_code    integer,
    response_body  text,
    created_at     timestamptz NOT NULL,
    expires_at     timestamptz NOT NULL,
    PRIMARY KEY (account_id, idem_key)
);
CREATE INDEX idempotency_key_expiry ON idempotency_key (expires_at);
