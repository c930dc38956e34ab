package dev.chathistory.client;

/**
 * How fresh a page of history must be. {@link #STRONG} (the default) includes every message
 * the service acknowledged before the request; {@link #EVENTUAL} costs the service half the read
 * capacity and may miss writes from about the last second.
 */
public enum ReadConsistency {
    STRONG("strong"),
    EVENTUAL("eventual");

    private final String wireValue;

    ReadConsistency(String wireValue) {
        this.wireValue = wireValue;
    }

    String wireValue() {
        return wireValue;
    }
}
