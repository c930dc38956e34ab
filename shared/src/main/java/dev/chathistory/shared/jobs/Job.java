package dev.chathistory.shared.jobs;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * The record of one job, as {@code GET /v1/jobs/{jobId}} shows it. {@code counts} says what the
 * job did (messages archived, chats visited, ...); {@code resultKey} is the S3 object an export
 * wrote; {@code nextAttemptAt} is when a failed attempt will be retried.
 */
public record Job(
        String jobId,
        JobType type,
        String tenantId,
        String userId,
        String chatId,
        JobStatus status,
        int attempts,
        Map<String, Long> counts,
        String error,
        String resultKey,
        Instant createdAt,
        Instant updatedAt,
        Instant nextAttemptAt) {

    public Job {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        counts = counts == null ? Map.of() : Map.copyOf(counts);
    }

    public static Job queued(JobRequest request, Instant now) {
        return new Job(request.jobId(), request.type(), request.tenantId(), request.userId(), request.chatId(),
                JobStatus.QUEUED, 0, Map.of(), null, null, now, now, null);
    }
}
