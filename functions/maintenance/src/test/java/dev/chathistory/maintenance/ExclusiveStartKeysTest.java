package dev.chathistory.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class ExclusiveStartKeysTest {

    @Test
    void toJson_shouldRoundTripAnIndexKey() {
        Map<String, AttributeValue> key = Map.of(
                "pk", AttributeValue.fromS("T#t1#U#u\"1"),
                "sk", AttributeValue.fromS("PROFILE"),
                "activeShard", AttributeValue.fromS("2026-03-09#03"),
                "lastActiveAt", AttributeValue.fromS("2026-03-09T10:00:00.000Z"));

        assertThat(ExclusiveStartKeys.fromJson(ExclusiveStartKeys.toJson(key))).isEqualTo(key);
    }

    @Test
    void toJson_shouldRefuseNonStringKeys() {
        assertThatThrownBy(() -> ExclusiveStartKeys.toJson(Map.of("n", AttributeValue.fromN("1"))))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void fromJson_shouldRefuseWhatItDidNotWrite() {
        assertThatThrownBy(() -> ExclusiveStartKeys.fromJson("{}")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ExclusiveStartKeys.fromJson("{\"pk\":1}")).isInstanceOf(IllegalStateException.class);
    }
}
