package dev.chathistory.shared.ids;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chathistory.shared.error.DomainException;
import dev.chathistory.shared.error.Problem;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one id rule every caller (API, jobs, importer, upload keys) goes through. */
class IdentifiersTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "chat:photos.v1", "...", ".hidden", "v1.", "a..b", "01J0-X_Y"})
    void isValid_shouldAccept_idsOfTheAlphabet_includingDotsInsideOrRepeatedThrice(String id) {
        assertThat(Identifiers.isValid(id)).isTrue();
        assertThat(Identifiers.require("chatId", id)).isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {".", "..", "", "a/b", "a#b", "a b", "é"})
    void require_shouldRefuseWithInvalidId_whenTheIdIsADotSegmentOrOutsideTheAlphabet(String id) {
        assertThat(Identifiers.isValid(id)).isFalse();
        assertThatThrownBy(() -> Identifiers.require("chatId", id))
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.problem()).isEqualTo(Problem.INVALID_ID));
    }

    @ParameterizedTest
    @ValueSource(ints = {128, 129})
    void isValid_shouldAcceptAtMost128Characters(int length) {
        assertThat(Identifiers.isValid("x".repeat(length))).isEqualTo(length <= Identifiers.MAX_LENGTH);
    }
}
