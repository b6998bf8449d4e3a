package dev.palisade.demoorigin;

/**
 * The forensic variants every demo segment exists in. A and B carry the same timestamps and durations and
 * differ only in an imperceptible mark, so a gateway may pick either at any segment boundary.
 */
public enum Variant {
    A, B
}
