package dev.palisade.billing.domain;

/** What playback does when a subscriber starts one stream more than the plan allows. */
public enum StreamLimitPolicy {
    /** The new stream is refused. */
    REFUSE_NEW,
    /** The oldest running stream is ended and the new one starts. */
    END_OLDEST
}
