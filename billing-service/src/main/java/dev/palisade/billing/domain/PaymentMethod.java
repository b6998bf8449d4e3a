package dev.palisade.billing.domain;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A card as the gateway knows it: only its token and display hints (brand, last four digits) are stored. */
@Entity
@Table(name = "payment_method")
public class PaymentMethod {

    @Id
    public UUID id;

    @Column(name = "account_id", nullable = false, updatable = false)
    public String accountId;

    @Column(nullable = false, updatable = false)
    public String gateway;

    @Column(name = "gateway_token", nullable = false, updatable = false)
    public String gatewayToken;

    /** The gateway's customer the card belongs to (Stripe {@code cus_…}); null for the sandbox. */
    @Column(name = "gateway_customer_id", updatable = false)
    public String gatewayCustomerId;

    public String brand;

    @Column(length = 4)
    public String last4;

    @Column(name = "created_at", nullable = false, updatable = false)
    public OffsetDateTime createdAt;

    @Column(name = "detached_at")
    public OffsetDateTime detachedAt;
}
