package dev.palisade.auth.domain;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One sign-in attempt on a known account, kept for the retention period. */
@Entity
@Table(name = "login_event")
public class LoginEvent {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "account_id")
    public UUID accountId;

    @Column(nullable = false)
    public String outcome;

    public String reason;

    public String acr;

    public String ip;

    public String network;

    @Column(name = "user_agent")
    public String userAgent;

    @Column(name = "device_id")
    public String deviceId;

    public String country;

    @Column(nullable = false)
    public OffsetDateTime at;

    public static LoginEvent of(UUID accountId, String outcome, String reason, String acr, ClientContext client, OffsetDateTime at) {
        LoginEvent e = new LoginEvent();
        e.accountId = accountId;
        e.outcome = outcome;
        e.reason = reason;
        e.acr = acr;
        e.ip = client.ip();
        e.network = client.network();
        e.userAgent = client.userAgent();
        e.deviceId = client.deviceId();
        e.country = client.country();
        e.at = at;
        return e;
    }
}
