package dev.chathistory.shared.jobs;

import java.time.Duration;
import java.util.List;

/** Where job messages go; the SQS job queue in a deployment. */
public interface JobQueue {

    void send(JobRequest request);

    /**
     * Sends the request to be delivered after {@code delay} (at most 15 minutes): how the job
     * function continues an unfinished job. Queues that only submit jobs need not support it.
     */
    default void sendLater(JobRequest request, Duration delay) {
        throw new UnsupportedOperationException("this queue does not send delayed jobs");
    }

    /**
     * Sends many, in calls of at most ten.
     *
     * @return the requests that could not be sent (empty when all were)
     */
    List<JobRequest> sendAll(List<JobRequest> requests);
}
