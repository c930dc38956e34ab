package dev.chathistory.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.chathistory.maintenance.MaintenanceRequest.Action;
import dev.chathistory.shared.json.Json;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MaintenanceRequestTest {

    /** The sample events (events/, also for `sam local invoke -e`) parse as the runtime hands them over. */
    @Test
    void sampleEvents_shouldParse() throws Exception {
        Path events = Path.of("../../events");
        Map<String, Object> sweep = Json.mapper().readValue(events.resolve("maintenance-sweep.json").toFile(), MAP);
        Map<String, Object> redrive = Json.mapper().readValue(events.resolve("maintenance-redrive.json").toFile(), MAP);

        assertThat(MaintenanceRequest.parse(sweep).action()).isEqualTo(Action.SWEEP);
        assertThat(MaintenanceRequest.parse(redrive)).isEqualTo(new MaintenanceRequest(Action.REDRIVE_DLQ, 500));
    }

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    @Test
    void parse_shouldReadASweep() {
        assertThat(MaintenanceRequest.parse(Map.of("action", "sweep")).action()).isEqualTo(Action.SWEEP);
    }

    @Test
    void parse_shouldDefaultTheRedriveMax() {
        assertThat(MaintenanceRequest.parse(Map.of("action", "redrive-dlq")))
                .isEqualTo(new MaintenanceRequest(Action.REDRIVE_DLQ, 1000));
    }

    @Test
    void parse_shouldAcceptAnyWholeNumberTheRuntimeMayProduce() {
        assertThat(MaintenanceRequest.parse(Map.of("action", "redrive-dlq", "max", 25)).max()).isEqualTo(25);
        assertThat(MaintenanceRequest.parse(Map.of("action", "redrive-dlq", "max", 25L)).max()).isEqualTo(25);
        assertThat(MaintenanceRequest.parse(Map.of("action", "redrive-dlq", "max", 25.0)).max()).isEqualTo(25);
    }

    @Test
    void parse_shouldRejectAnUnknownAction_namingTheKnownOnes() {
        assertThatThrownBy(() -> MaintenanceRequest.parse(Map.of("action", "vacuum")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown maintenance action \"vacuum\"; expected one of \"sweep\", \"redrive-dlq\"");
    }

    @Test
    void parse_shouldRejectInputWithoutAnAction() {
        assertThatThrownBy(() -> MaintenanceRequest.parse(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"action\"");
        assertThatThrownBy(() -> MaintenanceRequest.parse(Map.of("detail-type", "Scheduled Event")))
                .isInstanceOf(IllegalArgumentException.class);
        Map<String, Object> nullAction = new HashMap<>();
        nullAction.put("action", null);
        assertThatThrownBy(() -> MaintenanceRequest.parse(nullAction)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parse_shouldRejectUnknownFields() {
        assertThatThrownBy(() -> MaintenanceRequest.parse(Map.of("action", "redrive-dlq", "maximum", 5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown field(s) [maximum] for action \"redrive-dlq\"; allowed: [action, max]");
        assertThatThrownBy(() -> MaintenanceRequest.parse(Map.of("action", "sweep", "max", 5)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parse_shouldRejectABadMax() {
        for (Object bad : new Object[] {0, -1, 100_001, 2.5, "10", true}) {
            assertThatThrownBy(() -> MaintenanceRequest.parse(Map.of("action", "redrive-dlq", "max", bad)))
                    .as("max %s", bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("\"max\" must be a whole number between 1 and 100000");
        }
    }
}
