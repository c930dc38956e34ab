package dev.chathistory.userbatch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.f4b6a3.ulid.Ulid;
import dev.chathistory.shared.archive.ArchivedMessage;
import dev.chathistory.shared.archive.ChunkFormat;
import dev.chathistory.shared.archive.MultipartUploads;
import dev.chathistory.shared.archive.ObjectStore;
import dev.chathistory.shared.attachments.Attachment;
import dev.chathistory.shared.attachments.AttachmentRepository;
import dev.chathistory.shared.erasure.Erasures;
import dev.chathistory.shared.jobs.ExportKeys;
import dev.chathistory.shared.jobs.JobOutcome;
import dev.chathistory.shared.jobs.JobRepository;
import dev.chathistory.shared.jobs.JobRequest;
import dev.chathistory.shared.jobs.JobRun;
import dev.chathistory.shared.jobs.Leases;
import dev.chathistory.shared.json.Json;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Timestamps;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.model.UserSettings;
import dev.chathistory.shared.repository.UserRepository;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

/**
 * Writes everything stored about a user to one gzip JSON Lines object: a header, the settings,
 * then per chat every message (hot and archived) with all its versions, in the archive's line
 * shape plus {@code kind} and {@code archived}.
 *
 * <p>An export of any size finishes: the object is a multipart upload, written a part at a time
 * through the function's temporary storage ({@link PartSink}), and a delivery that runs out of
 * time saves a checkpoint after its last whole chat and continues in a new delivery. Each
 * delivery adds one gzip member; members one after another are one valid gzip stream.
 *
 * <p>It holds the user's lease, so it never overlaps an archive or erase of the user. An export
 * submitted before an erase of the user does not run after it (the erase's tombstone says so):
 * its upload is abandoned and the job reports {@code cancelledByErase}.
 */
public final class ExportJob implements UserJob {

    /** Limits of one export; see {@link BatchConfig}. */
    public record Limits(long partBytes, Duration slice, Duration finishMargin) {
    }

    private final UserMessages userMessages;
    private final UserRepository users;
    private final ObjectStore objects;
    private final MultipartUploads uploads;
    private final AttachmentRepository attachments;
    private final JobRepository jobs;
    private final Erasures erasures;
    private final Leases leases;
    private final Clock clock;
    private final Duration leaseTtl;
    private final Limits limits;

    ExportJob(UserMessages userMessages, UserRepository users, ObjectStore objects, MultipartUploads uploads,
              AttachmentRepository attachments, JobRepository jobs, Erasures erasures, Leases leases, Clock clock,
              Duration leaseTtl, Limits limits) {
        this.userMessages = userMessages;
        this.users = users;
        this.objects = objects;
        this.uploads = uploads;
        this.attachments = attachments;
        this.jobs = jobs;
        this.erasures = erasures;
        this.leases = leases;
        this.clock = clock;
        this.leaseTtl = leaseTtl;
        this.limits = limits;
    }

    public static String prefix(UserRef user) {
        return ExportKeys.prefix(user);
    }

    /** When the export job whose object this is was submitted: its id is a ULID. */
    static Optional<Instant> submittedAt(String objectKey) {
        String name = objectKey.substring(objectKey.lastIndexOf('/') + 1);
        int dot = name.indexOf('.');
        String jobId = dot < 0 ? name : name.substring(0, dot);
        return Ulid.isValid(jobId) ? Optional.of(Ulid.from(jobId).getInstant()) : Optional.empty();
    }

    @Override
    public JobOutcome run(JobRun run) {
        JobRequest request = run.request();
        UserRef user = new UserRef(request.tenantId(), request.userId());
        Instant started = clock.instant();
        try (Leases.Held userLease = run.hold(leases, Leases.user(user), started, leaseTtl)) {
            String key = prefix(user) + request.jobId() + ".jsonl.gz";
            JobOutcome.Counts counts = new JobOutcome.Counts();
            if (erasedSinceSubmitted(request, user)) {
                uploads.abortAll(key);
                objects.list(prefix(user) + request.jobId() + ".").forEach(objects::delete);
                return counts.add("cancelledByErase", 1).outcome();
            }
            ExportCheckpoint checkpoint = jobs.checkpoint(request).map(ExportCheckpoint::fromJson).orElse(null);
            if (checkpoint == null) {
                checkpoint = new ExportCheckpoint(uploads.start(key, "application/gzip"), users.listChats(user));
                jobs.saveCheckpoint(request, checkpoint.toJson());
            }
            Instant stopAt = min(started.plus(limits.slice()), run.deadline().minus(limits.finishMargin()));
            return deliver(request, user, key, checkpoint, stopAt, counts);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the export", e);
        }
    }

    private JobOutcome deliver(JobRequest request, UserRef user, String key, ExportCheckpoint checkpoint,
                               Instant stopAt, JobOutcome.Counts counts) throws IOException {
        byte[] carried = checkpoint.carryKey == null ? new byte[0]
                : objects.get(checkpoint.carryKey).orElseThrow(() -> new IllegalStateException("export carry lost"));
        try (PartSink sink = new PartSink(uploads, key, checkpoint.uploadId, limits.partBytes(),
                checkpoint.partETags, carried)) {
            GZIPOutputStream out = new GZIPOutputStream(sink);
            // Until a delivery has saved its place, nothing written counts: a crashed first
            // delivery's parts are overwritten by the rerun, which writes the header again.
            if (checkpoint.deliveries == 0) {
                writeHeader(out, request, user);
            }
            // At least one chat per delivery, so every delivery makes progress.
            do {
                if (checkpoint.chatsWritten == checkpoint.chats.size()) {
                    break;
                }
                ChatRef chat = new ChatRef(user.tenantId(), checkpoint.chats.get(checkpoint.chatsWritten));
                writeChat(out, chat, user.userId(), counts);
                checkpoint.chatsWritten++;
            } while (clock.instant().isBefore(stopAt));
            // finish, not close: the sink stays open for the last part or the carry.
            out.finish();
            checkpoint.deliveries++;
            // Counts of every delivery so far: the job reports the whole export.
            counts.outcome().counts().forEach((name, value) -> checkpoint.totals.merge(name, value, Long::sum));
            counts = new JobOutcome.Counts();
            checkpoint.totals.forEach(counts::add);
            counts.add("deliveries", checkpoint.deliveries);
            if (checkpoint.chatsWritten < checkpoint.chats.size()) {
                carryOver(request, user, checkpoint, sink.remainder());
                return counts.continueAfter(Duration.ZERO);
            }
            sink.uploadLastPart();
            uploads.complete(key, checkpoint.uploadId, checkpoint.partETags);
            if (checkpoint.carryKey != null) {
                objects.delete(checkpoint.carryKey);
            }
            return counts.add("parts", checkpoint.partETags.size()).outcome(key);
        }
    }

    /**
     * Saves the bytes short of a part under a new name, then the checkpoint naming it, then
     * deletes the previous carry: a crash at any point leaves the checkpoint naming a whole carry.
     */
    private void carryOver(JobRequest request, UserRef user, ExportCheckpoint checkpoint, byte[] remainder) {
        String previous = checkpoint.carryKey;
        checkpoint.carryKey = prefix(user) + request.jobId() + ".carry-" + checkpoint.deliveries;
        objects.put(checkpoint.carryKey, remainder, "application/octet-stream");
        jobs.saveCheckpoint(request, checkpoint.toJson());
        if (previous != null) {
            objects.delete(previous);
        }
    }

    private boolean erasedSinceSubmitted(JobRequest request, UserRef user) {
        Optional<Instant> erasedUpTo = erasures.erasedUpTo(user);
        if (erasedUpTo.isEmpty()) {
            return false;
        }
        Instant submitted = submittedAt(request.jobId()).or(() -> jobs.find(request.tenantId(), request.jobId(),
                clock.instant()).map(job -> job.createdAt())).orElse(Instant.MIN);
        return !submitted.isAfter(erasedUpTo.get());
    }

    private void writeHeader(OutputStream out, JobRequest request, UserRef user) {
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
    }

    private void writeChat(OutputStream out, ChatRef chat, String userId, JobOutcome.Counts counts) {
        write(out, Json.object().put("kind", "chat").put("chatId", chat.chatId()));
        userMessages.forEachHot(chat, userId, m -> writeMessage(out, chat, m, false, counts));
        userMessages.forEachArchived(chat, userId, m -> writeMessage(out, chat, m, true, counts));
        counts.add("chats", 1);
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
        // What each image is and its content hash; the bytes stay in the attachments bucket.
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

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static void write(OutputStream out, ObjectNode line) {
        try {
            out.write(Json.writeBytes(line));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the export file", e);
        }
    }
}
