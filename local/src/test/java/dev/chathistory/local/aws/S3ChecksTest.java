package dev.chathistory.local.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chathistory.local.iam.AccessCheck;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class S3ChecksTest {

    private final S3Checks checks = new S3Checks();

    private List<AccessCheck> checksOf(String method, String path, String query, Map<String, String> headers,
                                       String body) {
        return checks.checks(Calls.rest(method, path, query, headers, body), "us-east-1", "123456789012");
    }

    @Test
    void objectReadsAndWrites_shouldBeCheckedOnTheDecodedKey() {
        assertThat(checksOf("GET", "/b/uploads/t/chat%3Aone/a%2Bb", "", Map.of(), ""))
                .containsExactly(AccessCheck.of("s3:GetObject", "arn:aws:s3:::b/uploads/t/chat:one/a+b"));
        assertThat(checksOf("HEAD", "/b/k", "", Map.of(), ""))
                .containsExactly(AccessCheck.of("s3:GetObject", "arn:aws:s3:::b/k"));
        assertThat(checksOf("PUT", "/b/k", "X-Amz-Credential=x", Map.of(), "bytes"))
                .containsExactly(AccessCheck.of("s3:PutObject", "arn:aws:s3:::b/k"));
        assertThat(checksOf("DELETE", "/b/k", "", Map.of(), ""))
                .containsExactly(AccessCheck.of("s3:DeleteObject", "arn:aws:s3:::b/k"));
    }

    @Test
    void listingABucket_shouldCarryPrefixDelimiterAndMaxKeys() {
        assertThat(checksOf("GET", "/b", "list-type=2&prefix=uploads%2Fx&delimiter=%2F&max-keys=5", Map.of(), ""))
                .containsExactly(new AccessCheck("s3:ListBucket", "arn:aws:s3:::b", Map.of(
                        "s3:prefix", List.of("uploads/x"), "s3:delimiter", List.of("/"), "s3:max-keys", List.of("5"))));
        assertThat(checksOf("GET", "/b/", "list-type=2", Map.of(), ""))
                .containsExactly(AccessCheck.of("s3:ListBucket", "arn:aws:s3:::b"));
    }

    @Test
    void aCopy_shouldAlsoReadItsSource() {
        assertThat(checksOf("PUT", "/b/to", "", Map.of("x-amz-copy-source", "/a/from%20here"), ""))
                .containsExactly(AccessCheck.of("s3:PutObject", "arn:aws:s3:::b/to"),
                        AccessCheck.of("s3:GetObject", "arn:aws:s3:::a/from here"));
    }

    @Test
    void aMultiObjectDelete_shouldNeedDeleteObjectOnEveryKey() {
        String body = "<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Object><Key>x/1</Key></Object>"
                + "<Object><Key>y/2</Key></Object></Delete>";
        assertThat(checksOf("POST", "/b", "delete", Map.of(), body))
                .containsExactly(AccessCheck.of("s3:DeleteObject", "arn:aws:s3:::b/x/1"),
                        AccessCheck.of("s3:DeleteObject", "arn:aws:s3:::b/y/2"));
    }

    @Test
    void multipartUploads_shouldNeedPutObject_andAnAbortItsOwnAction() {
        assertThat(checksOf("POST", "/b/k", "uploads", Map.of(), "")).extracting(AccessCheck::action)
                .containsExactly("s3:PutObject");
        assertThat(checksOf("DELETE", "/b/k", "uploadId=1", Map.of(), "")).extracting(AccessCheck::action)
                .containsExactly("s3:AbortMultipartUpload");
    }

    @Test
    void aDeleteBodyWithADoctype_shouldBeRefused() {
        String body = "<!DOCTYPE d [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<Delete><Object><Key>&e;</Key></Object></Delete>";
        assertThatThrownBy(() -> checksOf("POST", "/b", "delete", Map.of(), body))
                .isInstanceOf(UnknownRequestException.class);
    }
}
