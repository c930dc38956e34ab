package dev.chathistory.shared.model;

/**
 * How fresh a history read must be. {@link #STRONG} sees every write acknowledged before it (a
 * bot reading the messages it just appended); {@link #EVENTUAL} costs half the DynamoDB read
 * units and may miss writes from the last second or so.
 */
public enum ReadConsistency {
    STRONG,
    EVENTUAL;

    public boolean isStrong() {
        return this == STRONG;
    }
}
