package dev.chathistory.shared.attachments;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Upload links must only work for the declared type and length: S3 checks signed headers. */
class S3AttachmentStorageTest {

    private final S3Presigner presigner = S3Presigner.builder()
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
            .build();
    private final S3AttachmentStorage storage = new S3AttachmentStorage(presigner, "attachments-bucket");

    private static Map<String, String> query(String url) {
        return Arrays.stream(URI.create(url).getRawQuery().split("&"))
                .map(pair -> pair.split("=", 2))
                .collect(Collectors.toMap(p -> p[0], p -> URLDecoder.decode(p[1], StandardCharsets.UTF_8)));
    }

    @Test
    void uploadUrl_shouldSignContentTypeAndLength_andExpireAsAsked() {
        String url = storage.uploadUrl("uploads/t1/c1/m1/a1", "image/png", 48213, Duration.ofMinutes(5));

        Map<String, String> query = query(url);
        assertThat(URI.create(url).getPath()).endsWith("uploads/t1/c1/m1/a1");
        assertThat(query.get("X-Amz-SignedHeaders").split(";")).contains("content-type", "content-length", "host");
        assertThat(query.get("X-Amz-Expires")).isEqualTo("300");
    }

    @Test
    void downloadUrl_shouldExpireAsAsked() {
        String url = storage.downloadUrl("blobs/sha256/" + "a".repeat(64), Duration.ofMinutes(15));

        assertThat(query(url).get("X-Amz-Expires")).isEqualTo("900");
    }
}
