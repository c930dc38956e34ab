package dev.chathistory.shared.testing;

import dev.chathistory.shared.jobs.JobQueue;
import dev.chathistory.shared.jobs.JobRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A {@link JobQueue} that keeps what was sent, and can be made to refuse. */
public final class RecordingJobQueue implements JobQueue, HeldItems {

    private final List<JobRequest> sent = new ArrayList<>();
    private final List<Duration> delays = new ArrayList<>();
    private RuntimeException failure;

    @Override
    public synchronized void send(JobRequest request) {
        if (failure != null) {
            throw failure;
        }
        sent.add(request);
    }

    @Override
    public synchronized void sendLater(JobRequest request, Duration delay) {
        send(request);
        delays.add(delay);
    }

    @Override
    public synchronized List<JobRequest> sendAll(List<JobRequest> requests) {
        if (failure != null) {
            return List.copyOf(requests);
        }
        sent.addAll(requests);
        return List.of();
    }

    public synchronized List<JobRequest> sent() {
        return List.copyOf(sent);
    }

    /** The delays asked by {@link #sendLater}, in order. */
    public synchronized List<Duration> delays() {
        return List.copyOf(delays);
    }

    public synchronized void failWith(RuntimeException failure) {
        this.failure = failure;
    }

    /** Every request sent, in order, under the tenant it names. */
    @Override
    public synchronized List<HeldItem> heldItems() {
        List<HeldItem> items = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            items.add(HeldItem.of("sent", i, sent.get(i), sent.get(i).tenantId()));
        }
        return items;
    }
}
