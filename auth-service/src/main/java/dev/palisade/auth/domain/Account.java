package dev.palisade.auth.domain;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A subscriber's or staff member's account. */
@Entity
@Table(name = "account")
public class Account {

    @Id
    public UUID id;

    /** Normalised e-mail address (see {@link EmailAddress}). */
    @Column(nullable = false, unique = true)
    public String email;

    @Column(name = "password_hash", nullable = false)
    public String passwordHash;

    /** Comma-separated roles. */
    @Column(nullable = false)
    public String roles;

    @Column(nullable = false)
    public boolean locked;

    @Column(name = "locked_reason")
    public String lockedReason;

    @Column(name = "locked_at")
    public OffsetDateTime lockedAt;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    public static Account register(String email, String passwordHash, OffsetDateTime now) {
        Account account = new Account();
        account.id = UUID.randomUUID();
        account.email = email;
        account.passwordHash = passwordHash;
        account.roles = "subscriber";
        account.createdAt = now;
        account.updatedAt = now;
        return account;
    }

    public Set<String> roleSet() {
        return new LinkedHashSet<>(Arrays.asList(roles.split(",")));
    }

    public void lock(String reason, OffsetDateTime now) {
        locked = true;
        lockedReason = reason;
        lockedAt = now;
        updatedAt = now;
    }

    public void unlock(OffsetDateTime now) {
        locked = false;
        lockedReason = null;
        lockedAt = null;
        updatedAt = now;
    }
}
