package dev.chathistory.local.aws;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * S3's check of a presigned link: the signature must be the one the signer's secret gives for
 * this method, path, query and the headers it signed (for an upload link: its type and
 * length), or S3 refuses with {@code SignatureDoesNotMatch}. Worked out again here with the
 * SDK's own signer, since the gateway knows every session's secret.
 */
final class PresignedLinks {

    /** The query parameters of the signature itself; everything else of the query is signed. */
    static final Set<String> AUTHENTICATION_PARAMETERS = Set.of("x-amz-algorithm", "x-amz-credential", "x-amz-date",
            "x-amz-expires", "x-amz-signedheaders", "x-amz-signature", "x-amz-security-token");

    private PresignedLinks() {
    }

    /** Whether the link's signature is the one {@code signer}'s secret gives for this request. */
    static boolean signedBy(AwsCall call, SigV4Credential credential, AwsCredentialsIdentity signer) {
        Optional<String> given = call.queryParameter("X-Amz-Signature");
        Optional<SignedRequest> expected = call.header("host")
                .flatMap(host -> sign(call, credential, signer, URI.create("http://" + host)));
        return given.isPresent() && expected.isPresent() && expected.get().request()
                .firstMatchingRawQueryParameter("X-Amz-Signature").map(given.get()::equals).orElse(false);
    }

    /**
     * The link's query signed again, the same way and for the same moment, with {@code signer}'s
     * keys and for the host the request goes on to: how the gateway hands a checked link on to
     * an emulator that never saw the session (one that checks links, as MiniStack does, knows
     * only the tooling's keys, and sees its own host).
     */
    static String resignedQuery(AwsCall call, SigV4Credential credential, AwsCredentialsIdentity signer,
                                URI forwardedTo) {
        return sign(call, credential, signer, forwardedTo)
                .flatMap(signed -> signed.request().encodedQueryParameters())
                .orElseThrow(() -> new IllegalArgumentException("not a presigned request"));
    }

    private static Optional<SignedRequest> sign(AwsCall call, SigV4Credential credential,
                                                AwsCredentialsIdentity identity, URI authority) {
        Optional<String> signedHeaders = call.queryParameter("X-Amz-SignedHeaders");
        if (signedHeaders.isEmpty() || credential.presignedAt().isEmpty() || credential.presignedFor().isEmpty()) {
            return Optional.empty();
        }
        SdkHttpRequest.Builder request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.fromValue(call.method()))
                .protocol("http")
                .host(authority.getHost())
                .port(authority.getPort())
                .encodedPath(call.rawPath());
        for (String pair : call.rawQuery().split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            if (!AUTHENTICATION_PARAMETERS.contains(name.toLowerCase(Locale.ROOT))) {
                request.appendRawQueryParameter(name, equals < 0 ? null : decode(pair.substring(equals + 1)));
            }
        }
        for (String name : signedHeaders.get().split(";")) {
            if (!name.equals("host")) {
                request.putHeader(name, new ArrayList<>(call.headers().getOrDefault(name, List.of())));
            }
        }
        return Optional.of(AwsV4HttpSigner.create().sign(r -> r
                .identity(identity)
                .request(request.build())
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, credential.service())
                .putProperty(AwsV4HttpSigner.REGION_NAME, credential.region())
                .putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, credential.presignedFor().get())
                .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK,
                        Clock.fixed(credential.presignedAt().get(), ZoneOffset.UTC))));
    }

    /** Percent-decoding; the SDK never writes '+' for a space, so a '+' is a plus. */
    private static String decode(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
