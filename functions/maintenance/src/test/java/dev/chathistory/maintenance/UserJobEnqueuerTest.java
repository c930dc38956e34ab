package dev.chathistory.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chathistory.shared.jobs.JobQueue;
import dev.chathistory.shared.jobs.JobRequest;
import dev.chathistory.shared.jobs.JobType;
import dev.chathistory.shared.jobs.SqsJobQueue;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.testing.RecordingJobQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;

class UserJobEnqueuerTest {

    private final AtomicInteger ids = new AtomicInteger();

    private UserJobEnqueuer enqueuer(JobQueue queue) {
        return new UserJobEnqueuer(queue, () -> "job-" + ids.incrementAndGet());
    }

    private static List<UserRef> users(int count) {
        return IntStream.range(0, count).mapToObj(i -> new UserRef("t1", "user-" + i)).toList();
    }

    @Test
    void enqueue_shouldSendAnArchiveAndARecountForEveryUser() {
        RecordingJobQueue queue = new RecordingJobQueue();

        int sent = enqueuer(queue).enqueue(users(2));

        assertThat(sent).isEqualTo(4);
        assertThat(queue.sent()).extracting(JobRequest::userId, JobRequest::type, JobRequest::chatId)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("user-0", JobType.ARCHIVE, null),
                        org.assertj.core.groups.Tuple.tuple("user-0", JobType.RECOUNT, null),
                        org.assertj.core.groups.Tuple.tuple("user-1", JobType.ARCHIVE, null),
                        org.assertj.core.groups.Tuple.tuple("user-1", JobType.RECOUNT, null));
        assertThat(queue.sent()).extracting(JobRequest::jobId).doesNotHaveDuplicates();
    }

    @Test
    void enqueue_shouldSendNothing_whenThereAreNoUsers() {
        RecordingJobQueue queue = new RecordingJobQueue();

        assertThat(enqueuer(queue).enqueue(List.of())).isZero();
        assertThat(queue.sent()).isEmpty();
    }

    @Test
    void enqueue_shouldRetryRefusedEntriesOnce_withTheSameJobIds() {
        List<List<JobRequest>> calls = new ArrayList<>();
        JobQueue refusesTwoAtFirst = new JobQueue() {
            @Override
            public void send(JobRequest request) {
                throw new AssertionError("the enqueuer must send in batches of ten");
            }

            @Override
            public List<JobRequest> sendAll(List<JobRequest> requests) {
                calls.add(List.copyOf(requests));
                return calls.size() == 1 ? requests.subList(1, 3) : List.of();
            }
        };

        int sent = enqueuer(refusesTwoAtFirst).enqueue(users(3));

        assertThat(sent).isEqualTo(6);
        assertThat(calls).hasSize(2);
        assertThat(calls.get(1)).isEqualTo(calls.get(0).subList(1, 3));
    }

    @Test
    void enqueue_shouldThrow_whenEntriesStillFailAfterTheRetry() {
        AtomicInteger calls = new AtomicInteger();
        JobQueue refusesOneForGood = new JobQueue() {
            @Override
            public void send(JobRequest request) {
                throw new AssertionError("the enqueuer must send in batches of ten");
            }

            @Override
            public List<JobRequest> sendAll(List<JobRequest> requests) {
                calls.incrementAndGet();
                return requests.subList(0, 1);
            }
        };

        assertThatThrownBy(() -> enqueuer(refusesOneForGood).enqueue(users(2)))
                .isInstanceOf(UserJobEnqueuer.JobsNotSentException.class)
                .hasMessage("1 of 4 job messages could not be sent after a retry");
        assertThat(calls).hasValue(2);
    }

    @Test
    void enqueue_shouldUseSendMessageBatchInCallsOfTen() {
        FakeSqs sqs = new FakeSqs();

        int sent = enqueuer(new SqsJobQueue(sqs, "jobs")).enqueue(users(23));

        assertThat(sent).isEqualTo(46);
        assertThat(sqs.sendBatches).extracting(b -> b.entries().size()).containsExactly(10, 10, 10, 10, 6);
        assertThat(sqs.sendBatches).extracting(SendMessageBatchRequest::queueUrl).containsOnly("jobs");
        assertThat(sqs.bodies("jobs")).hasSize(46)
                .allSatisfy(body -> assertThat(JobRequest.fromJson(body).tenantId()).isEqualTo("t1"));
    }
}
