package dev.palisade.entitlement.domain;

/** What happens when a new stream would exceed the plan's concurrent-stream limit. */
public enum OverflowPolicy {
    /** The new stream is refused. */
    REFUSE("refuse"),
    /** The oldest running stream ends to make room. */
    EVICT_OLDEST("evict_oldest");

    private final String wire;

    OverflowPolicy(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static OverflowPolicy fromWire(String value) {
        for (OverflowPolicy p : values()) {
            if (p.wire.equals(value)) {
                return p;
            }
        }
        throw new IllegalArgumentException("Unknown overflow policy '" + value + "' (refuse, evict_oldest)");
    }
}
