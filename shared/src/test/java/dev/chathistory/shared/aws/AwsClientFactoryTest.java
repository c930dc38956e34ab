package dev.chathistory.shared.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JDK keep-alive cache behind the url-connection client is sized for the calls in flight. */
class AwsClientFactoryTest {

    private String saved;

    @BeforeEach
    void save() {
        saved = System.getProperty("http.maxConnections");
        System.clearProperty("http.maxConnections");
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty("http.maxConnections");
        } else {
            System.setProperty("http.maxConnections", saved);
        }
    }

    @Test
    void keepAliveConnections_shouldRaiseTheJdkDefaultOfFive() {
        assertThat(AwsClientFactory.keepAliveConnections(51)).isEqualTo(51);

        assertThat(System.getProperty("http.maxConnections")).isEqualTo("51");
    }

    @Test
    void keepAliveConnections_shouldNeverLowerALargerValueSetElsewhere() {
        System.setProperty("http.maxConnections", "200");

        assertThat(AwsClientFactory.keepAliveConnections(51)).isEqualTo(200);
        assertThat(System.getProperty("http.maxConnections")).isEqualTo("200");
    }

    @Test
    void keepAliveConnections_shouldLeaveTheDefaultAlone_whenItIsEnough() {
        assertThat(AwsClientFactory.keepAliveConnections(3)).isEqualTo(AwsClientFactory.JDK_DEFAULT_KEEP_ALIVE);

        assertThat(System.getProperty("http.maxConnections")).isNull();
    }

    @Test
    void keepAliveConnections_shouldReplaceAnUnreadableValue() {
        System.setProperty("http.maxConnections", "many");

        assertThat(AwsClientFactory.keepAliveConnections(51)).isEqualTo(51);
    }
}
