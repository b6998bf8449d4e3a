package dev.palisade.gateway.domain;

/**
 * The circuit breaker of one origin of one channel, named {@code <channel>/<origin>}.
 * <ul>
 * <li>CLOSED: the origin serves players. {@code failureThreshold} consecutive failures (errors, timeouts, from players'
 * requests or background probes) open it; a frozen playlist opens it at once.</li>
 * <li>OPEN: players are served by the next healthy origin. After {@code openFor}, a good probe (answering, advancing,
 * not behind) moves it to HALF_OPEN; any failure keeps it open.</li>
 * <li>HALF_OPEN: still not serving; {@code recoveryProbes} consecutive good probes close it (fail-back), any failure
 * opens it again.</li>
 * </ul>
 */
public final class OriginBreaker {

    public enum State {
        CLOSED, OPEN, HALF_OPEN
    }

    private final String name;
    private final int failureThreshold;
    private final long openForMillis;
    private final int recoveryProbes;
    private State state = State.CLOSED;
    private int failures;
    private int goodProbes;
    private long openedAt;
    private String lastReason = "none";

    public OriginBreaker(String name, int failureThreshold, long openForMillis, int recoveryProbes) {
        this.name = name;
        this.failureThreshold = Math.max(1, failureThreshold);
        this.openForMillis = openForMillis;
        this.recoveryProbes = Math.max(1, recoveryProbes);
    }

    public String name() {
        return name;
    }

    public synchronized State state() {
        return state;
    }

    public synchronized boolean healthy() {
        return state == State.CLOSED;
    }

    public synchronized String lastReason() {
        return lastReason;
    }

    /** Records a failure; {@code immediate} opens the breaker regardless of the threshold. */
    public synchronized void failure(String reason, boolean immediate, long now) {
        lastReason = reason;
        goodProbes = 0;
        switch (state) {
            case CLOSED -> {
                failures++;
                if (immediate || failures >= failureThreshold) {
                    state = State.OPEN;
                    openedAt = now;
                }
            }
            case HALF_OPEN -> {
                state = State.OPEN;
                openedAt = now;
            }
            case OPEN -> {
            }
        }
    }

    /** Records a success: a player's request ({@code probe=false}) or a background probe. */
    public synchronized void success(boolean probe, long now) {
        switch (state) {
            case CLOSED -> failures = 0;
            case OPEN -> {
                if (probe && now - openedAt >= openForMillis) {
                    state = State.HALF_OPEN;
                    goodProbes = 1;
                    closeIfRecovered();
                }
            }
            case HALF_OPEN -> {
                if (probe) {
                    goodProbes++;
                    closeIfRecovered();
                }
            }
        }
    }

    private void closeIfRecovered() {
        if (goodProbes >= recoveryProbes) {
            state = State.CLOSED;
            failures = 0;
            goodProbes = 0;
        }
    }
}
