package dev.chathistory.maintenance;

import dev.chathistory.shared.ids.MessageIdGenerator;
import dev.chathistory.shared.jobs.JobQueue;
import dev.chathistory.shared.jobs.JobRequest;
import dev.chathistory.shared.jobs.JobType;
import dev.chathistory.shared.model.UserRef;
import java.util.ArrayList;
import java.util.List;

/**
 * Enqueues the periodic jobs of each user: an archive and a recount, for all of the user's
 * chats. No job records are written here; the batch function creates one when a job starts.
 */
public final class UserJobEnqueuer {

    /** What maintenance runs for every user active in the window. */
    static final List<JobType> PERIODIC_JOBS = List.of(JobType.ARCHIVE, JobType.RECOUNT);

    private final JobQueue queue;
    private final MessageIdGenerator jobIds;

    public UserJobEnqueuer(JobQueue queue, MessageIdGenerator jobIds) {
        this.queue = queue;
        this.jobIds = jobIds;
    }

    /**
     * Sends every job or throws. Entries SQS refused in a batch are retried once (they are
     * usually throttling or a transient fault); if any still fail, the caller must not record
     * these users as done.
     *
     * @return the number of job messages sent
     */
    public int enqueue(List<UserRef> users) {
        List<JobRequest> requests = new ArrayList<>(users.size() * PERIODIC_JOBS.size());
        for (UserRef user : users) {
            for (JobType type : PERIODIC_JOBS) {
                requests.add(new JobRequest(jobIds.nextId(), type, user.tenantId(), user.userId(), null));
            }
        }
        if (requests.isEmpty()) {
            return 0;
        }
        List<JobRequest> failed = queue.sendAll(requests);
        if (!failed.isEmpty()) {
            failed = queue.sendAll(failed);
        }
        if (!failed.isEmpty()) {
            throw new JobsNotSentException(failed.size(), requests.size());
        }
        return requests.size();
    }

    /** Some job messages could not be sent even after a retry. */
    public static final class JobsNotSentException extends RuntimeException {
        JobsNotSentException(int failed, int total) {
            super(failed + " of " + total + " job messages could not be sent after a retry");
        }
    }
}
