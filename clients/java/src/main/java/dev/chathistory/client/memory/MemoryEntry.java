package dev.chathistory.client.memory;

import java.util.Objects;

/**
 * One message of a framework's chat memory, as it is stored: its role and either its plain text
 * or, when it carries more than text (tool calls, a name, several contents), the framework's own
 * JSON form of it. Two entries are the same message when role, form and text are equal; that is
 * how a new list handed over by the framework is matched against what is stored.
 *
 * @param json whether {@code text} is the framework's JSON form rather than plain text
 */
public record MemoryEntry(MemoryRole role, boolean json, String text) {

    public MemoryEntry {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(text, "text");
    }

    public static MemoryEntry text(MemoryRole role, String text) {
        return new MemoryEntry(role, false, text);
    }

    public static MemoryEntry json(MemoryRole role, String json) {
        return new MemoryEntry(role, true, json);
    }
}
