package dev.chathistory.local.aws;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who signed a request, and for which service: the credential scope of a Signature Version 4
 * {@code Authorization} header, or of a presigned URL's {@code X-Amz-Credential} (then with
 * the link's signing time and lifetime).
 */
public record SigV4Credential(String accessKeyId, String region, String service, Optional<Instant> presignedAt,
                              Optional<Duration> presignedFor) {

    private static final Pattern HEADER = Pattern.compile("Credential=([^/,\\s]+)/\\d{8}/([^/]+)/([^/]+)/aws4_request");
    private static final Pattern SCOPE = Pattern.compile("([^/]+)/\\d{8}/([^/]+)/([^/]+)/aws4_request");
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    public static Optional<SigV4Credential> of(AwsCall call) {
        Optional<String> authorization = call.header("authorization");
        if (authorization.isPresent()) {
            Matcher m = HEADER.matcher(authorization.get());
            return m.find() ? Optional.of(new SigV4Credential(m.group(1), m.group(2), m.group(3), Optional.empty(),
                    Optional.empty())) : Optional.empty();
        }
        Optional<String> scope = call.queryParameter("X-Amz-Credential");
        if (scope.isEmpty()) {
            return Optional.empty();
        }
        Matcher m = SCOPE.matcher(scope.get());
        if (!m.matches()) {
            return Optional.empty();
        }
        Optional<Instant> signedAt = call.queryParameter("X-Amz-Date").flatMap(SigV4Credential::parseDate);
        Optional<Duration> lifetime = call.queryParameter("X-Amz-Expires").flatMap(SigV4Credential::parseSeconds);
        return Optional.of(new SigV4Credential(m.group(1), m.group(2), m.group(3), signedAt, lifetime));
    }

    public boolean presigned() {
        return presignedAt.isPresent();
    }

    /** A presigned link past its {@code X-Amz-Expires}; S3 refuses it with AccessDenied. */
    public boolean expiredAt(Instant now) {
        return presignedAt.isPresent() && presignedFor.isPresent()
                && now.isAfter(presignedAt.get().plus(presignedFor.get()));
    }

    private static Optional<Instant> parseDate(String value) {
        try {
            return Optional.of(Instant.from(AMZ_DATE.parse(value)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Optional<Duration> parseSeconds(String value) {
        try {
            return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
