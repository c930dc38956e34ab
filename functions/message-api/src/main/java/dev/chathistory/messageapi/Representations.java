package dev.chathistory.messageapi;

import dev.chathistory.shared.attachments.Attachment;
import dev.chathistory.shared.attachments.AttachmentService;
import dev.chathistory.shared.branches.BranchPoint;
import dev.chathistory.shared.retention.Retention;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chathistory.shared.jobs.Job;
import dev.chathistory.shared.jobs.JobService;
import dev.chathistory.shared.json.Json;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.model.MessageVersion;
import dev.chathistory.shared.model.Timestamps;
import dev.chathistory.shared.service.ListPage;
import java.util.OptionalInt;
import java.util.function.Function;

/** The JSON the API returns; field names here are the public contract. */
final class Representations {

    private Representations() {
    }

    static ObjectNode message(Message m) {
        ObjectNode node = Json.object()
                .put("chatId", m.chatId())
                .put("messageId", m.messageId())
                .put("userId", m.userId())
                .put("isBot", m.bot())
                .put("text", m.text());
        node.set("metadata", m.metadata());
        node.put("version", m.version());
        putNullable(node, "parentVersion", m.parentVersion());
        node.put("deleted", m.deleted());
        node.put("createdAt", Timestamps.format(m.createdAt()));
        node.put("editedAt", m.editedAt() == null ? null : Timestamps.format(m.editedAt()));
        return node;
    }

    static ObjectNode version(MessageVersion v) {
        ObjectNode node = Json.object()
                .put("messageId", v.messageId())
                .put("version", v.version());
        putNullable(node, "parentVersion", v.parentVersion());
        node.put("userId", v.userId())
                .put("isBot", v.bot())
                .put("text", v.text());
        node.set("metadata", v.metadata());
        node.put("deleted", v.deleted());
        node.put("versionCreatedAt", Timestamps.format(v.versionCreatedAt()));
        return node;
    }

    static ObjectNode job(JobService.JobView view) {
        Job job = view.job();
        ObjectNode node = Json.object()
                .put("jobId", job.jobId())
                .put("type", job.type().wireName())
                .put("userId", job.userId())
                .put("chatId", job.chatId())
                .put("status", job.status().wireName())
                .put("attempts", job.attempts());
        ObjectNode counts = node.putObject("counts");
        job.counts().forEach(counts::put);
        node.put("error", job.error())
                .put("resultUrl", view.resultUrl().orElse(null))
                .put("resultUrlExpiresAt", view.resultUrlExpiresAt().map(Timestamps::format).orElse(null))
                .put("createdAt", Timestamps.format(job.createdAt()))
                .put("updatedAt", Timestamps.format(job.updatedAt()))
                .put("nextAttemptAt", job.nextAttemptAt() == null ? null : Timestamps.format(job.nextAttemptAt()));
        return node;
    }

    /** A branch: its id (the chat to append to and read), its parent and the message it forked from. */
    static ObjectNode branch(BranchPoint branch) {
        return Json.object()
                .put("branchId", branch.branchId())
                .put("parentChatId", branch.parentChatId())
                .put("fromMessageId", branch.fromMessageId())
                .put("createdAt", Timestamps.format(branch.createdAt()));
    }

    /** A chat's retention: its own days and hold, the tenant's days, and what applies (null: kept). */
    static ObjectNode retention(Retention.ChatView view) {
        ObjectNode node = Json.object();
        putDays(node, "days", view.own().days() == null ? OptionalInt.empty() : OptionalInt.of(view.own().days()));
        node.put("legalHold", view.own().legalHold());
        putDays(node, "tenantDays", view.tenantDays());
        putDays(node, "effectiveDays", view.effectiveDays());
        return node;
    }

    private static void putDays(ObjectNode node, String field, OptionalInt days) {
        if (days.isPresent()) {
            node.put(field, days.getAsInt());
        } else {
            node.putNull(field);
        }
    }

    static ObjectNode attachment(AttachmentService.View view) {
        Attachment a = view.attachment();
        ObjectNode node = Json.object()
                .put("attachmentId", a.attachmentId())
                .put("chatId", a.chatId())
                .put("messageId", a.messageId())
                .put("status", a.status().wireName())
                .put("declaredContentType", a.declaredType().contentType())
                .put("declaredSize", a.declaredSize())
                .put("filename", a.filename())
                .put("contentType", a.type() == null ? null : a.type().contentType())
                .put("size", a.size())
                .put("width", a.width())
                .put("height", a.height())
                .put("sha256", a.sha256());
        if (a.rejection() != null) {
            node.putObject("rejection")
                    .put("reason", a.rejection().code())
                    .put("message", a.rejection().description());
        } else {
            node.putNull("rejection");
        }
        node.put("url", view.url().orElse(null))
                .put("thumbnailUrl", view.thumbnailUrl().orElse(null))
                .put("urlsExpireAt", view.urlsExpireAt().map(Timestamps::format).orElse(null))
                .put("createdAt", Timestamps.format(a.createdAt()))
                .put("completedAt", a.completedAt() == null ? null : Timestamps.format(a.completedAt()));
        return node;
    }

    static ObjectNode upload(AttachmentService.Upload upload) {
        ObjectNode node = attachment(new AttachmentService.View(upload.attachment(), Optional.empty(),
                Optional.empty(), Optional.empty()));
        ObjectNode put = node.putObject("upload")
                .put("method", "PUT")
                .put("url", upload.url())
                .put("expiresAt", Timestamps.format(upload.expiresAt()));
        ObjectNode headers = put.putObject("headers");
        upload.headers().forEach(headers::put);
        return node;
    }

    static <T> ObjectNode page(ListPage<T> page, Function<T, ObjectNode> render) {
        ObjectNode node = Json.object();
        ArrayNode items = node.putArray("items");
        page.items().forEach(item -> items.add(render.apply(item)));
        node.put("nextCursor", page.nextCursor().orElse(null));
        return node;
    }

    private static void putNullable(ObjectNode node, String field, Long value) {
        if (value == null) {
            node.putNull(field);
        } else {
            node.put(field, value);
        }
    }
}
