package dev.palisade.entitlement.domain;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A live channel of the catalogue. */
@Entity
@Table(name = "channel")
public class Channel {

    @Id
    public String id;

    @Column(nullable = false)
    public String name;

    @Column(name = "logo_url")
    public String logoUrl;

    @Column(nullable = false)
    public String category;

    @Column(nullable = false)
    public int number;

    @Column(name = "epg_id")
    public String epgId;

    /** Ordered origin base URLs, newline-separated: primary first. */
    @Column(nullable = false)
    public String origins;

    @Column(name = "key_rotation_seconds", nullable = false)
    public int keyRotationSeconds;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    public List<String> originList() {
        return Arrays.stream(origins.split("\n")).filter(s -> !s.isBlank()).toList();
    }
}
