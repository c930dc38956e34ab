package dev.chathistory.importer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chathistory.shared.archive.ArchiveChunk;
import dev.chathistory.shared.archive.ArchiveIndex;
import dev.chathistory.shared.attachments.AttachmentService;
import dev.chathistory.shared.attachments.ImageType;
import dev.chathistory.shared.erasure.Erasures;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.model.UserRef;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides everything about one chunk before anything is written: which rows become which
 * messages, which attachment files go through the attachment pipeline, and what the report says
 * about the rest. The writer and the validation pass both plan with it, so they agree by
 * construction.
 */
final class ChunkPlanner {

    /** An attachment file to store through the pipeline once its message is written. */
    record Upload(ChatRef chat, Message message, long legacyId, Path file, ImageType type, long size,
                  String attachmentId, String filename) {
    }

    record Plan(List<Message> messages, List<Upload> uploads, List<RowIssue> issues) {
    }

    private final String tenantId;
    private final RowConverter converter;
    private final SourceDatabase source;
    private final ArchiveIndex archives;
    private final Erasures erasures;
    private final Path attachmentsDir;
    private final boolean attachmentsEnabled;
    private final long maxAttachmentBytes;
    private final Map<String, Optional<String>> archiveBoundaries = new HashMap<>();
    private final Map<String, Optional<Instant>> erasedUpTo = new HashMap<>();

    ChunkPlanner(String tenantId, RowConverter converter, SourceDatabase source, ArchiveIndex archives,
                 Erasures erasures, Path attachmentsDir, boolean attachmentsEnabled, long maxAttachmentBytes) {
        this.tenantId = tenantId;
        this.converter = converter;
        this.source = source;
        this.archives = archives;
        this.erasures = erasures;
        this.attachmentsDir = attachmentsDir;
        this.attachmentsEnabled = attachmentsEnabled;
        this.maxAttachmentBytes = maxAttachmentBytes;
    }

    Plan plan(List<SourceRow> rows) throws SQLException {
        RowConverter.Result converted = converter.convert(rows);
        List<RowIssue> issues = new ArrayList<>(converted.issues());
        List<Message> messages = new ArrayList<>();
        Map<Long, Message> byLegacyId = new LinkedHashMap<>();
        for (RowConverter.Converted c : converted.messages()) {
            Optional<Instant> erased = erasedCovering(c.message());
            if (erased.isPresent()) {
                issues.add(new RowIssue(Long.toString(c.legacyId()), c.message().userId(), RowIssue.Kind.ERASED_USER,
                        "the user was erased up to " + erased.get() + "; an import never brings that back"));
            } else if (belowArchiveBoundary(c.message())) {
                issues.add(new RowIssue(Long.toString(c.legacyId()), c.message().userId(),
                        RowIssue.Kind.BELOW_ARCHIVE_BOUNDARY,
                        "older than the chat's archived messages, which only an archive run may add to"));
            } else {
                messages.add(c.message());
                // The first occurrence of a legacy id carries its attachments: the attachments table
                // cannot say which of several rows sharing an id they belonged to.
                byLegacyId.putIfAbsent(c.legacyId(), c.message());
            }
        }
        List<Long> ids = rows.stream().map(SourceRow::id).filter(Objects::nonNull).toList();
        List<Upload> uploads = new ArrayList<>();
        if (!ids.isEmpty()) {
            long first = ids.stream().mapToLong(Long::longValue).min().orElseThrow();
            long last = ids.stream().mapToLong(Long::longValue).max().orElseThrow();
            Map<Long, List<SourceAttachment>> attachmentsByMessage = new LinkedHashMap<>();
            for (SourceAttachment a : source.attachments(first, last)) {
                attachmentsByMessage.computeIfAbsent(a.messageId(), k -> new ArrayList<>()).add(a);
            }
            attachmentsByMessage.forEach((legacyId, attachments) ->
                    planAttachments(legacyId, attachments, byLegacyId, uploads, issues));
        }
        return new Plan(messages, uploads, issues);
    }

    private void planAttachments(long legacyId, List<SourceAttachment> attachments, Map<Long, Message> byLegacyId,
                                 List<Upload> uploads, List<RowIssue> issues) {
        Message message = byLegacyId.get(legacyId);
        if (message == null) {
            for (SourceAttachment a : attachments) {
                issues.add(new RowIssue("attachment " + a.id(), null, RowIssue.Kind.ATTACHMENT_OF_SKIPPED_ROW,
                        "message " + legacyId + " was not imported"));
            }
            return;
        }
        ArrayNode references = null;
        for (SourceAttachment a : attachments) {
            Optional<RowIssue.Kind> problem = Optional.empty();
            Path file = a.path() == null ? null : attachmentsDir.resolve(a.path()).normalize();
            ImageType type = null;
            long size = 0;
            if (!attachmentsEnabled) {
                problem = Optional.of(RowIssue.Kind.ATTACHMENTS_NOT_CONFIGURED);
            } else if (file == null || !file.startsWith(attachmentsDir) || !Files.isRegularFile(file)) {
                problem = Optional.of(RowIssue.Kind.ATTACHMENT_FILE_MISSING);
            } else {
                size = sizeOf(file);
                type = sniff(file).orElse(null);
                if (type == null) {
                    problem = Optional.of(RowIssue.Kind.ATTACHMENT_NOT_AN_IMAGE);
                } else if (size > maxAttachmentBytes || size == 0) {
                    problem = Optional.of(RowIssue.Kind.ATTACHMENT_TOO_LARGE);
                }
            }
            if (problem.isPresent()) {
                issues.add(new RowIssue("attachment " + a.id(), message.userId(), problem.get(),
                        "of message " + legacyId + "; kept in the message's metadata.legacy.attachments"));
                if (references == null) {
                    references = ((ObjectNode) message.metadata().get("legacy")).putArray("attachments");
                }
                ObjectNode reference = references.addObject().put("id", a.id()).put("type", a.type())
                        .put("hash", a.hash()).put("path", a.path());
                reference.put("reason", problem.get().code());
            } else {
                String filename = file.getFileName().toString();
                uploads.add(new Upload(new ChatRef(tenantId, message.chatId()), message, a.id(), file, type, size,
                        LegacyIds.messageId(message.createdAt(), a.id(), 0),
                        AttachmentService.isValidFilename(filename) ? filename : null));
            }
        }
    }

    /**
     * The user's erase cutoff if it covers the message (at or after its time). Read once per user
     * and import run: the writer and the validation pass then agree on what was skipped.
     */
    private Optional<Instant> erasedCovering(Message message) {
        Optional<Instant> cutoff = erasedUpTo.computeIfAbsent(message.userId(),
                userId -> erasures.erasedUpTo(new UserRef(tenantId, userId)));
        return cutoff.filter(upTo -> !upTo.isBefore(message.createdAt()));
    }

    private boolean belowArchiveBoundary(Message message) {
        Optional<String> boundary = archiveBoundaries.computeIfAbsent(message.chatId(), chatId ->
                archives.listNewestFirst(new ChatRef(tenantId, chatId), null, 1).stream()
                        .findFirst().map(ArchiveChunk::lastMessageId));
        return boundary.isPresent() && message.messageId().compareTo(boundary.get()) <= 0;
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    /** The type by the file's first bytes; ingestion checks the whole file again. */
    static Optional<ImageType> sniff(Path file) {
        byte[] head = new byte[12];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (n >= 3 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xD8 && (head[2] & 0xFF) == 0xFF) {
            return Optional.of(ImageType.JPEG);
        }
        if (n >= 8 && (head[0] & 0xFF) == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G') {
            return Optional.of(ImageType.PNG);
        }
        if (n >= 6 && head[0] == 'G' && head[1] == 'I' && head[2] == 'F' && head[3] == '8') {
            return Optional.of(ImageType.GIF);
        }
        if (n >= 12 && head[0] == 'R' && head[1] == 'I' && head[2] == 'F' && head[3] == 'F'
                && head[8] == 'W' && head[9] == 'E' && head[10] == 'B' && head[11] == 'P') {
            return Optional.of(ImageType.WEBP);
        }
        return Optional.empty();
    }
}
