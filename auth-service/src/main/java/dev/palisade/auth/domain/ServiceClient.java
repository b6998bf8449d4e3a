package dev.palisade.auth.domain;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A service that signs in with the client-credentials grant (role {@code service}). */
@Entity
@Table(name = "service_client")
public class ServiceClient {

    @Id
    @Column(name = "client_id")
    public String clientId;

    @Column(name = "secret_hash", nullable = false)
    public String secretHash;

    @Column(nullable = false)
    public String roles;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "disabled_at")
    public OffsetDateTime disabledAt;

    public List<String> roleList() {
        return Arrays.asList(roles.split(","));
    }
}
