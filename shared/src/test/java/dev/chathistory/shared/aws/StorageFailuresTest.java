package dev.chathistory.shared.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.chathistory.shared.archive.S3ObjectStore;
import dev.chathistory.shared.error.StorageUnavailableException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The clients the factory builds, against a stub server on loopback answering what AWS answers
 * when it is overloaded or failing: such failures reach callers as one StorageUnavailableException,
 * after the SDK's retries; every other answer reaches them as the SDK's own exception.
 */
class StorageFailuresTest {

    private static final int ATTEMPTS = 2;

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void dynamoDbThrottling_shouldBecomeStorageUnavailable_afterTheSdkRetries() throws IOException {
        try (DynamoDbClient dynamoDb = dynamoDbAnswering(400, "ProvisionedThroughputExceededException")) {
            assertThatThrownBy(() -> getItem(dynamoDb))
                    .isInstanceOfSatisfying(StorageUnavailableException.class, e -> {
                        assertThat(e.service()).isEqualTo("DynamoDB");
                        assertThat(e.failure()).isEqualTo("ProvisionedThroughputExceededException");
                        assertThat(e.getMessage()).isEqualTo("storage is busy; retry shortly");
                    });
        }
        assertThat(requests).as("the SDK retried before giving up").hasValue(ATTEMPTS);
    }

    @Test
    void dynamoDbServerError_shouldBecomeStorageUnavailable() throws IOException {
        try (DynamoDbClient dynamoDb = dynamoDbAnswering(500, "InternalServerError")) {
            assertThatThrownBy(() -> getItem(dynamoDb)).isInstanceOfSatisfying(StorageUnavailableException.class,
                    e -> assertThat(e.failure()).isEqualTo("InternalServerError"));
        }
    }

    @Test
    void aFailedCondition_shouldReachTheCallerAsItself() throws IOException {
        try (DynamoDbClient dynamoDb = dynamoDbAnswering(400, "ConditionalCheckFailedException")) {
            assertThatThrownBy(() -> getItem(dynamoDb)).isInstanceOf(ConditionalCheckFailedException.class);
        }
        assertThat(requests).as("not retried: it is an answer").hasValue(1);
    }

    @Test
    void aRefusedConnection_shouldBecomeStorageUnavailable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (DynamoDbClient dynamoDb = AwsClientFactory.dynamoDb(settings(closedPort), List.of())) {
            assertThatThrownBy(() -> getItem(dynamoDb)).isInstanceOfSatisfying(StorageUnavailableException.class,
                    e -> assertThat(e.service()).isEqualTo("DynamoDB"));
        }
    }

    @Test
    void aCallTimingOut_shouldBecomeStorageUnavailable() throws IOException {
        start(exchange -> {
            requests.incrementAndGet();
            sleep(Duration.ofMillis(1500));
            exchange.close();
        });
        try (DynamoDbClient dynamoDb = AwsClientFactory.dynamoDb(settings(server.getAddress().getPort()),
                List.of())) {
            assertThatThrownBy(() -> getItem(dynamoDb)).isInstanceOf(StorageUnavailableException.class);
        }
    }

    @Test
    void s3SlowDown_shouldBecomeStorageUnavailable_alsoWhenListingPageByPage() throws IOException {
        start(exchange -> {
            requests.incrementAndGet();
            respond(exchange, 503, "application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error>"
                    + "<Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>");
        });
        ClientSettings settings = settings(server.getAddress().getPort());
        try (S3Client s3 = AwsClientFactory.s3(settings); S3Presigner presigner = AwsClientFactory.s3Presigner(settings)) {
            S3ObjectStore store = new S3ObjectStore(s3, presigner, "bucket");
            assertThatThrownBy(() -> store.list("exports/")).isInstanceOfSatisfying(StorageUnavailableException.class,
                    e -> {
                        assertThat(e.service()).isEqualTo("S3");
                        assertThat(e.failure()).isEqualTo("SlowDown");
                    });
        }
    }

    @Test
    void theTranslatingClient_shouldStillBeTheClientCallersExpect() throws IOException {
        try (DynamoDbClient dynamoDb = dynamoDbAnswering(400, "ConditionalCheckFailedException")) {
            assertThat(dynamoDb.serviceName()).isEqualTo("dynamodb");
            assertThat(dynamoDb.toString()).isNotBlank();
            assertThat(dynamoDb).isEqualTo(dynamoDb);
        }
    }

    private DynamoDbClient dynamoDbAnswering(int status, String errorType) throws IOException {
        start(exchange -> {
            requests.incrementAndGet();
            respond(exchange, status, "application/x-amz-json-1.0",
                    "{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + errorType + "\",\"message\":\"stub\"}");
        });
        return AwsClientFactory.dynamoDb(settings(server.getAddress().getPort()), List.of());
    }

    private static void getItem(DynamoDbClient dynamoDb) {
        dynamoDb.getItem(b -> b.tableName("Messages").key(Map.of("pk", AttributeValue.fromS("chat"))));
    }

    private void start(HttpHandler handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", handler);
        server.start();
    }

    private static ClientSettings settings(int port) {
        return new ClientSettings("us-east-1", Optional.of(URI.create("http://127.0.0.1:" + port)),
                Optional.of(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))),
                Duration.ofSeconds(3), Duration.ofMillis(500), ATTEMPTS);
    }

    private static void respond(HttpExchange exchange, int status, String type, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
