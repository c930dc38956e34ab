package dev.chathistory.userbatch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chathistory.shared.archive.ArchivedMessage;
import dev.chathistory.shared.archive.ChunkFormat;
import dev.chathistory.shared.archive.ObjectStore;
import dev.chathistory.shared.attachments.Attachment;
import dev.chathistory.shared.attachments.AttachmentRepository;
import dev.chathistory.shared.jobs.JobOutcome;
import dev.chathistory.shared.jobs.JobRequest;
import dev.chathistory.shared.json.Json;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Timestamps;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.model.UserSettings;
import dev.chathistory.shared.repository.UserRepository;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.zip.GZIPOutputStream;

/**
 * Writes everything stored about a user to one gzip JSON Lines object: a header, the settings,
 * then per chat every message (hot and archived) with all its versions, in the archive's line
 * shape plus {@code kind} and {@code archived}. The file is built in the function's temporary
 * storage, not in memory, so a large history fits. The object key is fixed per job, so a rerun
 * overwrites rather than duplicates.
 */
public final class ExportJob implements UserJob {

    private final UserMessages userMessages;
    private final UserRepository users;
    private final ObjectStore objects;
    private final AttachmentRepository attachments;
    private final Clock clock;

    public ExportJob(UserMessages userMessages, UserRepository users, ObjectStore objects,
                     AttachmentRepository attachments, Clock clock) {
        this.userMessages = userMessages;
        this.attachments = attachments;
        this.users = users;
        this.objects = objects;
        this.clock = clock;
    }

    public static String prefix(UserRef user) {
        return "exports/" + user.tenantId() + "/" + user.userId() + "/";
    }

    @Override
    public JobOutcome run(JobRequest request) {
        UserRef user = new UserRef(request.tenantId(), request.userId());
        JobOutcome.Counts counts = new JobOutcome.Counts();
        Path file = null;
        try {
            file = Files.createTempFile("export-", ".jsonl.gz");
            try (OutputStream out = new GZIPOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
                write(out, Json.object()
                        .put("kind", "export")
                        .put("tenantId", user.tenantId())
                        .put("userId", user.userId())
                        .put("jobId", request.jobId())
                        .put("exportedAt", Timestamps.format(clock.instant())));
                UserSettings settings = users.findSettings(user);
                ObjectNode settingsLine = Json.object().put("kind", "settings").put("version", settings.version());
                settingsLine.set("settings", settings.settings());
                write(out, settingsLine);
                for (String chatId : users.listChats(user)) {
                    ChatRef chat = new ChatRef(user.tenantId(), chatId);
                    write(out, Json.object().put("kind", "chat").put("chatId", chatId));
                    userMessages.forEachHot(chat, user.userId(), m -> writeMessage(out, chat, m, false, counts));
                    userMessages.forEachArchived(chat, user.userId(), m -> writeMessage(out, chat, m, true, counts));
                    counts.add("chats", 1);
                }
            }
            counts.add("bytes", Files.size(file));
            String key = prefix(user) + request.jobId() + ".jsonl.gz";
            objects.put(key, file, "application/gzip");
            return counts.outcome(key);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the export file", e);
        } finally {
            deleteQuietly(file);
        }
    }

    private void writeMessage(OutputStream out, ChatRef chat, ArchivedMessage message, boolean archived,
                              JobOutcome.Counts counts) {
        ObjectNode line = Json.object().put("kind", "message").put("archived", archived);
        line.setAll(ChunkFormat.toLine(message));
        write(out, line);
        counts.add("messages", 1).add("versions", message.versions().size());
        if (archived) {
            counts.add("archivedMessages", 1);
        }
        // What each image is and its content hash; the bytes stay in the attachments bucket,
        // shared with anyone who sent the same image.
        for (Attachment a : attachments.list(chat, message.message().messageId())) {
            write(out, Json.object()
                    .put("kind", "attachment")
                    .put("messageId", a.messageId())
                    .put("attachmentId", a.attachmentId())
                    .put("status", a.status().wireName())
                    .put("filename", a.filename())
                    .put("contentType", a.type() == null ? null : a.type().contentType())
                    .put("size", a.size())
                    .put("width", a.width())
                    .put("height", a.height())
                    .put("sha256", a.sha256())
                    .put("rejection", a.rejection() == null ? null : a.rejection().code())
                    .put("createdAt", Timestamps.format(a.createdAt())));
            counts.add("attachments", 1);
        }
    }

    private static void write(OutputStream out, ObjectNode line) {
        try {
            out.write(Json.writeBytes(line));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the export file", e);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // A leftover only takes /tmp space until the container is recycled.
            }
        }
    }
}
