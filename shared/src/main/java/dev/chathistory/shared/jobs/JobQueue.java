package dev.chathistory.shared.jobs;

import java.util.List;

/** Where job messages go; the SQS job queue in a deployment. */
public interface JobQueue {

    void send(JobRequest request);

    /**
     * Sends many, in calls of at most ten.
     *
     * @return the requests that could not be sent (empty when all were)
     */
    List<JobRequest> sendAll(List<JobRequest> requests);
}
