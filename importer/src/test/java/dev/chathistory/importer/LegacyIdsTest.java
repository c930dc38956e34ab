package dev.chathistory.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.f4b6a3.ulid.Ulid;
import dev.chathistory.shared.ids.Identifiers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LegacyIdsTest {

    private static final Instant T = Instant.parse("2023-05-01T10:00:00.123Z");

    @Test
    void idsSortByTimeThenLegacyIdThenOccurrence() {
        List<String> inOrder = List.of(
                LegacyIds.messageId(T.minusMillis(1), Long.MAX_VALUE, 9),
                LegacyIds.messageId(T, -5, 0),
                LegacyIds.messageId(T, 0, 0),
                LegacyIds.messageId(T, 7, 0),
                LegacyIds.messageId(T, 7, 1),
                LegacyIds.messageId(T, 8, 0),
                LegacyIds.messageId(T, Long.MAX_VALUE, 0),
                LegacyIds.messageId(T.plusMillis(1), Long.MIN_VALUE, 0));
        List<String> sorted = new ArrayList<>(inOrder);
        sorted.sort(String::compareTo);
        assertThat(sorted).isEqualTo(inOrder);
    }

    @Test
    void idsAreUlidsCarryingTheRowTimeAndAreStable() {
        String id = LegacyIds.messageId(T, 42, 0);
        assertThat(Ulid.from(id).getInstant()).isEqualTo(T);
        assertThat(Identifiers.isValid(id)).isTrue();
        assertThat(LegacyIds.messageId(T, 42, 0)).isEqualTo(id);
    }

    @Test
    void anImportedIdSortsBeforeOneMadeNow() {
        String appendedNow = Ulid.fast().toString();
        assertThat(LegacyIds.messageId(Instant.now().minusSeconds(1), Long.MAX_VALUE, 0xFFFF)).isLessThan(appendedNow);
    }

    @Test
    void refusesWhatAUlidCannotHold() {
        assertThatThrownBy(() -> LegacyIds.messageId(Instant.EPOCH.minusMillis(1), 1, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LegacyIds.messageId(T, 1, LegacyIds.MAX_OCCURRENCE + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
