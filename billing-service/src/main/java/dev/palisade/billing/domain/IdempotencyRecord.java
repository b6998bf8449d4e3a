package dev.palisade.billing.domain;

import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** The first response to a POST with an {@code Idempotency-Key}, kept to be replayed. */
@Entity
@Table(name = "idempotency_key")
@IdClass(IdempotencyRecord.Key.class)
public class IdempotencyRecord {

    @Id
    @Column(name = "account_id")
    public String accountId;

    @Id
    @Column(name = "idem_key")
    public String key;

    /** Method, path and a digest of the body: the same key with another request is refused. */
    @Column(nullable = false)
    public String fingerprint;

    @Column(name = "status_code")
    public Integer statusCode;

    @Column(name = "response_body")
    public String responseBody;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "expires_at", nullable = false)
    public OffsetDateTime expiresAt;

    public static class Key implements Serializable {
        public String accountId;
        public String key;

        public Key() {
        }

        public Key(String accountId, String key) {
            this.accountId = accountId;
            this.key = key;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key other && Objects.equals(accountId, other.accountId) && Objects.equals(key, other.key);
        }

        @Override
        public int hashCode() {
            return Objects.hash(accountId, key);
        }
    }
}
