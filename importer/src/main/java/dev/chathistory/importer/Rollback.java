package dev.chathistory.importer;

import dev.chathistory.shared.archive.ArchiveIndex;
import dev.chathistory.shared.attachments.Attachment;
import dev.chathistory.shared.attachments.AttachmentRepository;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.repository.MessageRepository;
import dev.chathistory.shared.repository.UserRepository;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Undoes one import: in every chat its ledger lists, every message carrying its id (with the
 * message's versions, should a bot have edited it since, and its attachments, whose blob
 * references go back), then the directory entries and profiles the import created and nothing
 * else. A directory entry stays while its user still has messages in the chat; a profile stays
 * while its user has anything left. Each step can run again, so a rollback that dies is simply
 * run again. Messages archived since the import are out of its reach and counted instead.
 */
final class Rollback {

    record Outcome(long messagesRemoved, long attachmentsRemoved, long chats, long notFound) {
    }

    private final MessageRepository messages;
    private final UserRepository users;
    private final AttachmentRepository attachments;
    private final ArchiveIndex archives;
    private final ImportLedger ledger;
    private final Clock clock;

    Rollback(MessageRepository messages, UserRepository users, AttachmentRepository attachments,
             ArchiveIndex archives, ImportLedger ledger, Clock clock) {
        this.messages = messages;
        this.users = users;
        this.attachments = attachments;
        this.archives = archives;
        this.ledger = ledger;
        this.clock = clock;
    }

    Outcome run(String tenantId, String importId) {
        ImportLedger.State state = ledger.find(tenantId, importId).orElseThrow(() ->
                new IllegalArgumentException("no import " + importId + " in tenant " + tenantId));
        long removed = 0;
        long attachmentsRemoved = 0;
        List<String> chats = ledger.chats(tenantId, importId);
        Set<String> authors = new TreeSet<>();
        for (String chatId : chats) {
            ChatRef chat = new ChatRef(tenantId, chatId);
            List<Message> imported = new ArrayList<>();
            messages.forEachMessage(chat, null, m -> {
                if (importId.equals(m.importId())) {
                    imported.add(m);
                }
            });
            Set<String> importedIds = new HashSet<>();
            imported.forEach(m -> importedIds.add(m.messageId()));
            for (Attachment a : attachments.listInChat(chat)) {
                if (importedIds.contains(a.messageId())) {
                    attachments.drop(chat, a, clock.instant());
                    attachmentsRemoved++;
                }
            }
            Set<String> chatAuthors = new TreeSet<>();
            for (Message m : imported) {
                if (m.version() > 1) {
                    messages.deleteVersions(chat, m.messageId()); // edited by a bot since the import
                }
                chatAuthors.add(m.userId());
            }
            messages.deleteMessages(chat, imported.stream().map(Message::messageId).toList());
            removed += imported.size();
            boolean archived = !archives.listNewestFirst(chat, null, 1).isEmpty();
            for (String userId : chatAuthors) {
                if (!archived && !hasMessagesIn(chat, userId)) {
                    users.forgetImportedChat(new UserRef(tenantId, userId), chatId, importId);
                }
            }
            authors.addAll(chatAuthors);
            ledger.removeChat(tenantId, importId, chatId);
        }
        for (String userId : authors) {
            UserRef user = new UserRef(tenantId, userId);
            if (users.listChats(user).isEmpty()) {
                users.dropImportedProfile(user, importId);
            }
        }
        ledger.finish(tenantId, importId, ImportLedger.Status.ROLLED_BACK, state.messagesImported(), clock.instant());
        long notFound = Math.max(0, state.messagesImported() - removed);
        return new Outcome(removed, attachmentsRemoved, chats.size(), notFound);
    }

    private boolean hasMessagesIn(ChatRef chat, String userId) {
        boolean[] any = {false};
        messages.forEachMessage(chat, userId, m -> any[0] = true);
        return any[0];
    }
}
