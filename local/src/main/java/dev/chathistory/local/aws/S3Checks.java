package dev.chathistory.local.aws;

import dev.chathistory.local.iam.AccessCheck;
import java.io.ByteArrayInputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.NodeList;

/**
 * S3's checks for path-style requests (the only style an emulator endpoint gets). Objects are
 * {@code arn:aws:s3:::bucket/key}; listing a bucket is {@code s3:ListBucket} on the bucket with
 * the request's {@code s3:prefix}, {@code s3:delimiter} and {@code s3:max-keys}; a copy also
 * reads its source; a multi-object delete needs {@code s3:DeleteObject} on every key.
 */
final class S3Checks implements ServiceChecks {

    /** Bucket sub-resources (query names) and the action each needs, by method. */
    private static final Map<String, String> BUCKET_GET = Map.of(
            "location", "GetBucketLocation", "versions", "ListBucketVersions",
            "uploads", "ListBucketMultipartUploads", "notification", "GetBucketNotification",
            "lifecycle", "GetLifecycleConfiguration", "acl", "GetBucketAcl", "policy", "GetBucketPolicy",
            "tagging", "GetBucketTagging", "cors", "GetBucketCORS", "encryption", "GetEncryptionConfiguration");
    private static final Map<String, String> BUCKET_PUT = Map.of(
            "notification", "PutBucketNotification", "lifecycle", "PutLifecycleConfiguration",
            "acl", "PutBucketAcl", "policy", "PutBucketPolicy", "tagging", "PutBucketTagging",
            "cors", "PutBucketCORS", "encryption", "PutEncryptionConfiguration");
    private static final Map<String, String> OBJECT_GET = Map.of(
            "versionId", "GetObjectVersion", "tagging", "GetObjectTagging", "acl", "GetObjectAcl",
            "attributes", "GetObjectAttributes", "uploadId", "ListMultipartUploadParts");

    @Override
    public List<AccessCheck> checks(AwsCall call, String region, String accountId) {
        String path = call.rawPath().startsWith("/") ? call.rawPath().substring(1) : call.rawPath();
        int slash = path.indexOf('/');
        String bucket = decode(slash < 0 ? path : path.substring(0, slash));
        String key = slash < 0 ? "" : decode(path.substring(slash + 1));
        if (bucket.isEmpty()) {
            return List.of(AccessCheck.of("s3:ListAllMyBuckets", "*"));
        }
        return key.isEmpty() ? bucketChecks(call, bucket) : objectChecks(call, bucket, key);
    }

    private List<AccessCheck> bucketChecks(AwsCall call, String bucket) {
        String arn = "arn:aws:s3:::" + bucket;
        Optional<String> subresource;
        switch (call.method()) {
            case "GET" -> {
                subresource = firstOf(call, BUCKET_GET);
                if (subresource.isPresent()) {
                    return List.of(AccessCheck.of("s3:" + subresource.get(), arn));
                }
                Map<String, List<String>> context = new LinkedHashMap<>();
                call.queryParameter("prefix").ifPresent(p -> context.put("s3:prefix", List.of(p)));
                call.queryParameter("delimiter").ifPresent(d -> context.put("s3:delimiter", List.of(d)));
                call.queryParameter("max-keys").ifPresent(m -> context.put("s3:max-keys", List.of(m)));
                return List.of(new AccessCheck("s3:ListBucket", arn, context));
            }
            case "HEAD" -> {
                return List.of(AccessCheck.of("s3:ListBucket", arn));
            }
            case "PUT" -> {
                subresource = firstOf(call, BUCKET_PUT);
                return List.of(AccessCheck.of("s3:" + subresource.orElse("CreateBucket"), arn));
            }
            case "DELETE" -> {
                return List.of(AccessCheck.of("s3:DeleteBucket", arn));
            }
            case "POST" -> {
                if (call.hasQueryParameter("delete")) {
                    List<AccessCheck> checks = new ArrayList<>();
                    for (String key : deletedKeys(call.body())) {
                        checks.add(AccessCheck.of("s3:DeleteObject", arn + "/" + key));
                    }
                    return checks;
                }
                throw new UnknownRequestException("S3 POST on a bucket with ?" + call.rawQuery());
            }
            default -> throw new UnknownRequestException("S3 " + call.method() + " on a bucket");
        }
    }

    private List<AccessCheck> objectChecks(AwsCall call, String bucket, String key) {
        String arn = "arn:aws:s3:::" + bucket + "/" + key;
        switch (call.method()) {
            case "GET", "HEAD" -> {
                return List.of(AccessCheck.of("s3:" + firstOf(call, OBJECT_GET).orElse("GetObject"), arn));
            }
            case "PUT" -> {
                String action = call.hasQueryParameter("tagging") ? "PutObjectTagging"
                        : call.hasQueryParameter("acl") ? "PutObjectAcl" : "PutObject";
                List<AccessCheck> checks = new ArrayList<>(List.of(AccessCheck.of("s3:" + action, arn)));
                call.header("x-amz-copy-source").ifPresent(source -> checks.add(copySource(source)));
                return checks;
            }
            case "POST" -> {
                if (call.hasQueryParameter("uploads") || call.hasQueryParameter("uploadId")) {
                    return List.of(AccessCheck.of("s3:PutObject", arn));
                }
                throw new UnknownRequestException("S3 POST on an object with ?" + call.rawQuery());
            }
            case "DELETE" -> {
                String action = call.hasQueryParameter("uploadId") ? "AbortMultipartUpload"
                        : call.hasQueryParameter("versionId") ? "DeleteObjectVersion"
                        : call.hasQueryParameter("tagging") ? "DeleteObjectTagging" : "DeleteObject";
                return List.of(AccessCheck.of("s3:" + action, arn));
            }
            default -> throw new UnknownRequestException("S3 " + call.method() + " on an object");
        }
    }

    /** {@code x-amz-copy-source: /bucket/key?versionId=v} (URL-encoded) is a read of that object. */
    private static AccessCheck copySource(String source) {
        String decoded = decode(source.contains("?") ? source.substring(0, source.indexOf('?')) : source);
        String action = source.contains("versionId=") ? "s3:GetObjectVersion" : "s3:GetObject";
        return AccessCheck.of(action, "arn:aws:s3:::" + (decoded.startsWith("/") ? decoded.substring(1) : decoded));
    }

    private static Optional<String> firstOf(AwsCall call, Map<String, String> subresources) {
        return subresources.entrySet().stream().filter(e -> call.hasQueryParameter(e.getKey()))
                .map(Map.Entry::getValue).findFirst();
    }

    /** The keys of a DeleteObjects body: {@code <Delete><Object><Key>k</Key></Object>...}. */
    private static List<String> deletedKeys(byte[] body) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            NodeList keys = factory.newDocumentBuilder().parse(new ByteArrayInputStream(body))
                    .getElementsByTagNameNS("*", "Key");
            List<String> names = new ArrayList<>();
            for (int i = 0; i < keys.getLength(); i++) {
                names.add(keys.item(i).getTextContent());
            }
            return names;
        } catch (Exception e) {
            throw new UnknownRequestException("an S3 multi-object delete whose body is not the expected XML");
        }
    }

    /** Percent-decoding of a path segment; '+' is a plus in a path, not a space. */
    static String decode(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
