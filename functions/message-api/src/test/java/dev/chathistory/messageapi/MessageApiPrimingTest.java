package dev.chathistory.messageapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.messageapi.testing.TestBackends;
import dev.chathistory.shared.branches.BranchRepository;
import dev.chathistory.shared.config.AttachmentsConfig;
import dev.chathistory.shared.config.JobsConfig;
import dev.chathistory.shared.config.LimitsConfig;
import dev.chathistory.shared.limits.BudgetStore;
import dev.chathistory.shared.limits.TenantLimits;
import dev.chathistory.shared.repository.MessageRepository;
import dev.chathistory.shared.repository.UserRepository;
import dev.chathistory.shared.retention.RetentionRepository;
import dev.chathistory.shared.testing.CallRecorder;
import dev.chathistory.shared.testing.InMemoryBudgetStore;
import dev.chathistory.shared.testing.MutableClock;
import dev.chathistory.shared.testing.RecordingMetrics;
import dev.chathistory.shared.testing.TestConfigs;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SnapStart priming goes through routing, the service and the repository, and only reads. */
class MessageApiPrimingTest {

    @Test
    void priming_shouldReadAPageInThePrimingTenant_andTakeNoBudget() {
        CallRecorder recorder = new CallRecorder();
        TestBackends fakes = TestBackends.create();
        Backends backends = new Backends(recorder.wrap(MessageRepository.class, fakes.messages()),
                recorder.wrap(UserRepository.class, fakes.users()), fakes.backends().archive(), fakes.jobs(),
                fakes.queue(), fakes.objects(), fakes.attachments(), fakes.backends().attachmentStorage(),
                recorder.wrap(RetentionRepository.class, fakes.retention()),
                recorder.wrap(BranchRepository.class, fakes.branches()));
        MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
        TenantLimits limits = TenantLimits.of(LimitsConfig.fromEnvironment(Map.of()),
                recorder.wrap(BudgetStore.class, new InMemoryBudgetStore()), clock);
        MessageApiHandler handler = new MessageApiHandler(MessageApi.create(TestConfigs.inMemory(),
                JobsConfig.of("queue", "bucket"), AttachmentsConfig.defaults(), backends, limits,
                new RecordingMetrics(), clock), () -> { });

        handler.beforeCheckpoint(null);

        assertThat(recorder.calls()).isNotEmpty()
                .allMatch(call -> call.contains(".find") || call.contains(".list"), "reads only");
        assertThat(recorder.calls()).contains("MessageRepository.listNewestFirst");
        assertThat(fakes.queue().sent()).isEmpty();
    }
}
