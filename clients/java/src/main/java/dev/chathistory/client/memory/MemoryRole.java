package dev.chathistory.client.memory;

import java.util.Locale;

/** Who a remembered message is from, as {@code metadata.memory.role} names it. */
public enum MemoryRole {
    /** The person talking to the bot: appended as the memory's user, {@code isBot: false}. */
    USER,
    /** The model's answers, tool calls included. */
    ASSISTANT,
    /** Instructions to the model. */
    SYSTEM,
    /** The result of a tool the model asked for. */
    TOOL,
    /** Any other kind a library has (custom messages). */
    OTHER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static MemoryRole fromWire(String name) {
        for (MemoryRole role : values()) {
            if (role.wireName().equals(name)) {
                return role;
            }
        }
        return OTHER;
    }
}
