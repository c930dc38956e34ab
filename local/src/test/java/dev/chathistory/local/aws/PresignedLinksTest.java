package dev.chathistory.local.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.local.iam.ExecutionRole;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

class PresignedLinksTest {

    private final RoleSession session = new RoleSession(
            new ExecutionRole("s", "F", "r", "arn:aws:sts::1:assumed-role/r/F", "1", List.of()),
            "ASIAEXAMPLEKEY", "secret/with+chars", "token", false);
    private final S3Presigner presigner = S3Presigner.builder()
            .region(Region.US_EAST_1)
            .endpointOverride(URI.create("http://127.0.0.1:4321"))
            .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
            .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(
                    session.accessKeyId(), session.secretAccessKey(), session.sessionToken())))
            .build();

    private static AwsCall received(String method, URL url, Map<String, String> headers) {
        Map<String, List<String>> all = new LinkedHashMap<>();
        all.put("host", List.of(url.getHost() + ":" + url.getPort()));
        headers.forEach((name, value) -> all.put(name, List.of(value)));
        return new AwsCall(method, url.getPath(), url.getQuery(), all, new byte[0]);
    }

    private boolean signed(AwsCall call) {
        return PresignedLinks.signedBy(call, SigV4Credential.of(call).orElseThrow(),
                session.credentials().resolveCredentials());
    }

    @Test
    void anUploadLink_shouldVerify_withItsTypeAndLength_andNotWithOthers() {
        URL url = presigner.presignPutObject(b -> b.signatureDuration(Duration.ofMinutes(5))
                .putObjectRequest(p -> p.bucket("b").key("uploads/t/chat:1/m/a").contentType("image/png")
                        .contentLength(42L))).url();

        assertThat(signed(received("PUT", url, Map.of("content-type", "image/png", "content-length", "42")))).isTrue();
        assertThat(signed(received("PUT", url, Map.of("content-type", "image/png", "content-length", "43")))).isFalse();
        assertThat(signed(received("PUT", url, Map.of("content-type", "text/html", "content-length", "42")))).isFalse();
    }

    @Test
    void aDownloadLink_shouldVerify_andNotForAnotherKey() {
        URL url = presigner.presignGetObject(b -> b.signatureDuration(Duration.ofMinutes(15))
                .getObjectRequest(g -> g.bucket("b").key("blobs/sha256/abc").responseContentType("image/png")
                        .responseContentDisposition("attachment; filename=\"a b.png\""))).url();

        assertThat(signed(received("GET", url, Map.of()))).isTrue();
        URL other = toUrl(url.toString().replace("/abc?", "/abd?"));
        assertThat(signed(received("GET", other, Map.of()))).isFalse();
    }

    @Test
    void aLinkSignedAgain_shouldCarryTheOtherKeys_andStillVerifyForThem() {
        URL url = presigner.presignGetObject(b -> b.signatureDuration(Duration.ofMinutes(15))
                .getObjectRequest(g -> g.bucket("b").key("exports/t/u/x.jsonl.gz"))).url();
        AwsCall call = received("GET", url, Map.of());
        AwsBasicCredentials tooling = AwsBasicCredentials.create("AKIATOOLING", "tooling-secret");

        String query = PresignedLinks.resignedQuery(call, SigV4Credential.of(call).orElseThrow(), tooling,
                URI.create("http://127.0.0.1:4566"));
        Map<String, List<String>> headers = new LinkedHashMap<>(call.headers());
        headers.put("host", List.of("127.0.0.1:4566"));
        AwsCall resigned = new AwsCall("GET", call.rawPath(), query, headers, new byte[0]);

        assertThat(query).contains("X-Amz-Credential=AKIATOOLING").doesNotContain("X-Amz-Security-Token");
        assertThat(PresignedLinks.signedBy(resigned, SigV4Credential.of(resigned).orElseThrow(), tooling)).isTrue();
        assertThat(signed(resigned)).as("no longer the session's").isFalse();
        assertThat(PresignedLinks.signedBy(new AwsCall("GET", call.rawPath(), query, call.headers(), new byte[0]),
                SigV4Credential.of(resigned).orElseThrow(), tooling)).as("signed for the emulator's host").isFalse();
    }

    private static URL toUrl(String text) {
        try {
            return URI.create(text).toURL();
        } catch (java.net.MalformedURLException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
