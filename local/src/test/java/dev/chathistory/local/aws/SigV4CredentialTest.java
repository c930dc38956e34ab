package dev.chathistory.local.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SigV4CredentialTest {

    @Test
    void anAuthorizationHeader_shouldNameTheKeyRegionAndService() {
        AwsCall call = Calls.rest("POST", "/", "", Map.of("authorization", "AWS4-HMAC-SHA256 "
                + "Credential=ASIAEXAMPLE/20261203/eu-west-1/dynamodb/aws4_request, SignedHeaders=host, "
                + "Signature=ab"), "");

        assertThat(SigV4Credential.of(call)).hasValueSatisfying(credential -> {
            assertThat(credential.accessKeyId()).isEqualTo("ASIAEXAMPLE");
            assertThat(credential.region()).isEqualTo("eu-west-1");
            assertThat(credential.service()).isEqualTo("dynamodb");
            assertThat(credential.presigned()).isFalse();
        });
    }

    @Test
    void aPresignedLink_shouldExpireAfterItsLifetime() {
        AwsCall call = Calls.rest("PUT", "/b/k", "X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=ASIAEXAMPLE%2F20261203%2Fus-east-1%2Fs3%2Faws4_request"
                + "&X-Amz-Date=20261203T100000Z&X-Amz-Expires=300&X-Amz-Signature=ab", Map.of(), "");

        SigV4Credential credential = SigV4Credential.of(call).orElseThrow();

        assertThat(credential.service()).isEqualTo("s3");
        assertThat(credential.expiredAt(Instant.parse("2026-12-03T10:04:59Z"))).isFalse();
        assertThat(credential.expiredAt(Instant.parse("2026-12-03T10:05:01Z"))).isTrue();
    }

    @Test
    void anUnsignedRequest_shouldHaveNoCredential() {
        assertThat(SigV4Credential.of(Calls.rest("GET", "/b/k", "", Map.of(), ""))).isEmpty();
    }
}
