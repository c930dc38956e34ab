package dev.chathistory.shared.archive;

import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.model.MessageVersion;
import java.util.List;
import java.util.Objects;

/** A message as archived: its current version and every superseded one, newest first. */
public record ArchivedMessage(Message message, List<MessageVersion> versions) {
    public ArchivedMessage {
        Objects.requireNonNull(message, "message");
        versions = List.copyOf(versions);
    }
}
