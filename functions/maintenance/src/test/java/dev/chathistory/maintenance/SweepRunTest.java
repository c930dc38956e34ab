package dev.chathistory.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.repository.dynamodb.UsersTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SweepRunTest {

    private static List<String> shardKeys(SweepRun run, int shards) {
        List<String> keys = new ArrayList<>();
        for (SweepRun at = run; !at.isFinished(); at = at.nextShard(shards)) {
            keys.add(at.shardKey());
        }
        return keys;
    }

    @Test
    void nextShard_shouldWalkEveryShardOfEveryDayOfTheWindow() {
        SweepRun run = SweepRun.start("r", Instant.parse("2026-03-08T23:00:00Z"), Instant.parse("2026-03-10T01:00:00Z"));

        assertThat(shardKeys(run, 2)).containsExactly(
                "2026-03-08#00", "2026-03-08#01", "2026-03-09#00", "2026-03-09#01", "2026-03-10#00", "2026-03-10#01");
    }

    @Test
    void isFinished_shouldNotReadTheDayAWindowEndsOnAtMidnight() {
        SweepRun run = SweepRun.start("r", Instant.parse("2026-03-09T10:00:00Z"), Instant.parse("2026-03-10T00:00:00Z"));

        assertThat(shardKeys(run, 1)).containsExactly("2026-03-09#00");
        assertThat(run.untilInclusive()).isEqualTo(Instant.parse("2026-03-09T23:59:59.999Z"));
    }

    @Test
    void shardKey_shouldBeThePartitionTheWritersUse() {
        UserRef user = new UserRef("t1", "u1");
        Instant at = Instant.parse("2026-03-09T10:00:00Z");
        String written = UsersTable.activeShard(user, at, 8);
        SweepRun run = SweepRun.start("r", at, at.plusSeconds(1));
        while (!run.shardKey().equals(written)) {
            run = run.nextShard(8);
            assertThat(run.isFinished()).isFalse();
        }
    }

    @Test
    void continueAfter_shouldKeepTheShard() {
        SweepRun run = SweepRun.start("r", Instant.parse("2026-03-09T10:00:00Z"), Instant.parse("2026-03-09T11:00:00Z"));

        SweepRun next = run.continueAfter("{\"pk\":\"x\"}");

        assertThat(next.shardKey()).isEqualTo(run.shardKey());
        assertThat(next.startKey()).isEqualTo("{\"pk\":\"x\"}");
        assertThat(next.nextShard(4).startKey()).isNull();
    }

    @Test
    void start_shouldRefuseAnEmptyWindow() {
        Instant at = Instant.parse("2026-03-09T10:00:00Z");
        assertThatThrownBy(() -> SweepRun.start("r", at, at)).isInstanceOf(IllegalArgumentException.class);
    }
}
