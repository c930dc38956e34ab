package dev.chathistory.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.shared.config.Environment;
import dev.chathistory.shared.jobs.JobRequest;
import dev.chathistory.shared.jobs.JobType;
import dev.chathistory.shared.lambda.LocalLambdaContext;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.repository.dynamodb.UsersTable;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sweep against the emulator: the active-users index as the API writes it, the checkpoint
 * and lease in the users table, job messages on a real queue. Each test has its own tables and
 * queues, since the checkpoint is one item per table.
 */
class MaintenanceSweepIT {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final Map<JobType, Long> ONE_OF_EACH = Map.of(JobType.ARCHIVE, 1L, JobType.RECOUNT, 1L);

    private MaintenanceStack stack;

    @AfterEach
    void close() {
        if (stack != null) {
            stack.close();
        }
    }

    /** {@code count} users, evenly active from 2 minutes to {@code spread} ago, over three tenants. */
    private List<UserRef> activeUsers(int count, Duration spread, String prefix) {
        List<UserRef> users = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            UserRef user = new UserRef("tenant-" + (i % 3), prefix + i);
            stack.activeAt(user, NOW.minusSeconds(120 + spread.minusMinutes(2).getSeconds() * i / count));
            users.add(user);
        }
        return users;
    }

    private static Map<UserRef, Map<JobType, Long>> perUser(List<JobRequest> jobs) {
        return jobs.stream().collect(Collectors.groupingBy(j -> new UserRef(j.tenantId(), j.userId()),
                Collectors.groupingBy(JobRequest::type, Collectors.counting())));
    }

    @Test
    void sweep_shouldEnqueueOneArchiveAndOneRecountPerUserActiveInTheWindow_acrossDaysAndShards() {
        stack = new MaintenanceStack(NOW, 4, Duration.ofHours(72));
        List<UserRef> users = activeUsers(60, Duration.ofHours(70), "user-");
        stack.activeAt(new UserRef("tenant-0", "before-window"), NOW.minus(Duration.ofHours(73)));
        stack.activeAt(new UserRef("tenant-0", "still-settling"), NOW.minusSeconds(30));

        Map<String, Object> summary = stack.sweep();

        assertThat(summary).containsEntry("complete", true).containsEntry("usersFound", 60)
                .containsEntry("jobsEnqueued", 120);
        List<JobRequest> jobs = stack.takeJobs();
        assertThat(jobs).hasSize(120).allSatisfy(j -> assertThat(j.chatId()).isNull());
        assertThat(jobs).extracting(JobRequest::jobId).doesNotHaveDuplicates();
        assertThat(perUser(jobs)).containsOnlyKeys(users).allSatisfy((u, types) -> assertThat(types)
                .isEqualTo(ONE_OF_EACH));
        Set<String> partitions = users.stream().map(u -> UsersTable.activeShard(u, NOW, 4).substring(11))
                .collect(Collectors.toSet());
        assertThat(partitions).as("the users span every shard").hasSize(4);
        Checkpoint checkpoint = stack.checkpoint();
        assertThat(checkpoint.doneUntil()).contains(NOW.minus(MaintenanceStack.SETTLE));
        assertThat(checkpoint.run()).isEmpty();
        assertThat(stack.metrics.value("JobsEnqueued")).isEqualTo(120L);
    }

    @Test
    void sweep_shouldResumeFromItsCheckpoint_afterRunningShortOfTime() {
        // One shard, so the partitions are predictable: the window starts on the day before
        // yesterday (empty), yesterday holds 130 users (two pages), today a few more.
        stack = new MaintenanceStack(NOW, 1, Duration.ofHours(48));
        Instant yesterday = NOW.truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(1));
        List<UserRef> users = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            UserRef user = new UserRef("tenant-" + (i % 2), "user-" + i);
            stack.activeAt(user, i < 130 ? yesterday.plus(Duration.ofMinutes(i)) : NOW.minusSeconds(120 + i));
            users.add(user);
        }

        Map<String, Object> first = stack.sweep(ControlledContext.timeForPages(2));

        assertThat(first).containsEntry("complete", false).containsEntry("usersFound", ActiveUserSweep.PAGE_SIZE);
        SweepRun saved = stack.checkpoint().run().orElseThrow();
        assertThat(saved.shardKey()).isEqualTo(LocalDate.ofInstant(yesterday, ZoneOffset.UTC) + "#00");
        assertThat(saved.startKey()).as("stopped inside the shard, at the index's LastEvaluatedKey").isNotNull();
        List<JobRequest> jobs = new ArrayList<>(stack.takeJobs());
        assertThat(jobs).hasSize(2 * ActiveUserSweep.PAGE_SIZE);

        Map<String, Object> second = stack.sweep();

        assertThat(second).containsEntry("complete", true)
                .containsEntry("usersFound", users.size() - ActiveUserSweep.PAGE_SIZE);
        jobs.addAll(stack.takeJobs());
        Map<UserRef, Map<JobType, Long>> perUser = perUser(jobs);
        assertThat(perUser).containsOnlyKeys(users);
        // A graceful stop saved its position after the last page it sent, so nothing repeats; only
        // an invocation killed between sending a page and saving could repeat that one page.
        assertThat(perUser).allSatisfy((u, types) -> assertThat(types).isEqualTo(ONE_OF_EACH));
        assertThat(stack.checkpoint().run()).isEmpty();
    }

    @Test
    void sweep_shouldOnlyPickUsersActiveAfterThePreviousWindow() {
        stack = new MaintenanceStack(NOW, 4, Duration.ofHours(24));
        activeUsers(10, Duration.ofHours(20), "early-");
        UserRef atBoundary = new UserRef("tenant-0", "at-boundary");
        stack.activeAt(atBoundary, NOW.minus(MaintenanceStack.SETTLE));

        assertThat(stack.sweep()).containsEntry("usersFound", 10);
        assertThat(stack.takeJobs()).noneMatch(j -> j.userId().equals("at-boundary"));

        UserRef returning = new UserRef("tenant-0", "early-3");
        UserRef newcomer = new UserRef("tenant-2", "newcomer");
        stack.activeAt(returning, NOW.plus(Duration.ofMinutes(5)));
        stack.activeAt(newcomer, NOW.plus(Duration.ofMinutes(20)));
        stack.clock.advance(Duration.ofHours(1));

        Map<String, Object> second = stack.sweep();

        assertThat(second).containsEntry("usersFound", 3).containsEntry("complete", true);
        assertThat(perUser(stack.takeJobs())).containsOnlyKeys(atBoundary, returning, newcomer)
                .allSatisfy((u, types) -> assertThat(types).isEqualTo(ONE_OF_EACH));
        assertThat(stack.checkpoint().doneUntil())
                .contains(NOW.plus(Duration.ofHours(1)).minus(MaintenanceStack.SETTLE));
    }

    @Test
    void sweep_shouldBeRefused_whileAnotherInvocationHoldsTheLease() throws Exception {
        stack = new MaintenanceStack(NOW, 2, Duration.ofHours(24));
        List<UserRef> users = activeUsers(20, Duration.ofHours(20), "user-");
        CountDownLatch paused = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Future<Map<String, Object>> holder = other.submit(
                    () -> stack.sweep(ControlledContext.pausingAfterTheLease(paused, resume)));
            assertThat(paused.await(30, TimeUnit.SECONDS)).as("first sweep took the lease").isTrue();

            Map<String, Object> refused = stack.sweep();

            assertThat(refused).isEqualTo(Map.of("skipped", "another sweep holds the lease"));
            resume.countDown();
            assertThat(holder.get(60, TimeUnit.SECONDS)).containsEntry("complete", true)
                    .containsEntry("usersFound", 20);
        } finally {
            resume.countDown();
            other.shutdownNow();
        }
        assertThat(perUser(stack.takeJobs())).containsOnlyKeys(users)
                .allSatisfy((u, types) -> assertThat(types).isEqualTo(ONE_OF_EACH));

        // Completing freed the lease: the next run is not refused.
        stack.clock.advance(Duration.ofMinutes(5));
        assertThat(stack.sweep()).containsEntry("complete", true).containsEntry("usersFound", 0);
    }

    @Test
    void noArgumentConstructor_shouldWireTheFunctionFromItsEnvironment() {
        stack = new MaintenanceStack(NOW, 8, Duration.ofHours(24));
        UserRef user = new UserRef("tenant-0", "alice");
        Instant activeAt = Instant.now().minus(Duration.ofMinutes(5));
        stack.activeAt(user, activeAt);
        // The function's own environment from the template (eight shards by default), as Lambda sets it.
        Map<String, String> env = stack.stack.environmentOf(MaintenanceStack.FUNCTION);

        MaintenanceHandler handler = Environment.runWith(env, MaintenanceHandler::new);
        Map<String, Object> summary = handler.handleRequest(Map.of("action", "sweep"),
                new LocalLambdaContext("maintenance", 300, 1024));

        assertThat(summary).containsEntry("usersFound", 1).containsEntry("complete", true);
        assertThat(perUser(stack.takeJobs())).containsOnlyKeys(user);
    }
}
