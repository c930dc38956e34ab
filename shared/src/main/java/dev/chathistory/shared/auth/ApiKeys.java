package dev.chathistory.shared.auth;

import dev.chathistory.shared.ids.Identifiers;
import dev.chathistory.shared.ids.MessageIdGenerator;
import dev.chathistory.shared.limits.LimitOverrides;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Issues, checks and revokes bot API keys. A key is {@code chk_} and 32 random bytes
 * (256 bits) in base64url; only its SHA-256 is stored, so the key is shown once, when issued.
 * A plain hash suffices because the keys are random, not chosen by people: there is nothing
 * to guess that a slow hash would protect.
 */
public final class ApiKeys {

    /** A key as shown to the operator once, with what is kept of it. */
    public record Issued(String key, ApiKey record) {
        @Override
        public String toString() {
            // Never print the key by accident (logs, exceptions).
            return "Issued[" + record.keyId() + " of " + record.tenantId() + "]";
        }
    }

    public static final String PREFIX = "chk_";
    /** Tenant ids the service keeps for itself (SnapStart priming); no key is issued for them. */
    public static final String RESERVED_PREFIX = "sys.";
    private static final int KEY_BYTES = 32;
    private static final Pattern WELL_FORMED = Pattern.compile("chk_[A-Za-z0-9_-]{43}");
    private static final int MAX_NAME_LENGTH = 128;

    private final ApiKeyRepository repository;
    private final MessageIdGenerator ids;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public ApiKeys(ApiKeyRepository repository, MessageIdGenerator ids, Clock clock) {
        this.repository = repository;
        this.ids = ids;
        this.clock = clock;
    }

    public Tenant createTenant(String tenantId, String name) {
        requireTenantId(tenantId);
        Tenant tenant = new Tenant(tenantId, requireName(name), clock.instant());
        if (!repository.createTenant(tenant)) {
            throw new IllegalArgumentException("tenant " + tenantId + " exists already");
        }
        return tenant;
    }

    public Issued issue(String tenantId, String name) {
        requireTenantId(tenantId);
        byte[] secret = new byte[KEY_BYTES];
        random.nextBytes(secret);
        String key = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        // A new key carries the tenant's own limits, as the others do (setLimits).
        LimitOverrides limits = repository.findTenant(tenantId).map(Tenant::limits).orElse(LimitOverrides.NONE);
        ApiKey record = new ApiKey(tenantId, ids.nextId(), requireName(name), sha256(key), clock.instant(), true,
                limits);
        if (!repository.addKey(record)) {
            throw new IllegalArgumentException("no tenant " + tenantId + "; create it first");
        }
        return new Issued(key, record);
    }

    /**
     * The tenant an active key acts for. Malformed, unknown and revoked keys are all simply
     * empty, so a caller learns nothing about which it was. A malformed key is refused without
     * a lookup: garbage sent by the thousand must cost no reads.
     */
    public Optional<String> tenantOf(String presentedKey) {
        return authorize(presentedKey).map(ApiKey::tenantId);
    }

    /** The active key presented, with its tenant and the tenant's limits; as {@link #tenantOf}. */
    public Optional<ApiKey> authorize(String presentedKey) {
        if (!isWellFormed(presentedKey)) {
            return Optional.empty();
        }
        String hash = sha256(presentedKey);
        return repository.findByHash(hash)
                // The lookup is by hash already; comparing again in constant time costs nothing
                // and keeps timing independent of how much of a stored hash matched.
                .filter(k -> MessageDigest.isEqual(k.sha256().getBytes(StandardCharsets.US_ASCII),
                        hash.getBytes(StandardCharsets.US_ASCII)))
                .filter(ApiKey::active);
    }

    /**
     * Gives the tenant its own limits (0: the deployment's default), on the tenant and each of its
     * keys; requests see them once API Gateway's cached authorizer answer expires.
     */
    public void setLimits(String tenantId, LimitOverrides limits) {
        requireTenantId(tenantId);
        if (!repository.setLimits(tenantId, limits)) {
            throw new IllegalArgumentException("no tenant " + tenantId);
        }
    }

    /** Whether a value could be a key at all: the prefix, then 43 characters of base64url. */
    public static boolean isWellFormed(String presentedKey) {
        return presentedKey != null && WELL_FORMED.matcher(presentedKey).matches();
    }

    /** Whether the tenant was created. */
    public boolean exists(String tenantId) {
        requireTenantId(tenantId);
        return repository.findTenant(tenantId).isPresent();
    }

    public List<ApiKey> list(String tenantId) {
        requireTenantId(tenantId);
        return repository.listKeys(tenantId);
    }

    public void revoke(String tenantId, String keyId) {
        requireTenantId(tenantId);
        if (!repository.revoke(tenantId, keyId)) {
            throw new IllegalArgumentException("tenant " + tenantId + " has no key " + keyId);
        }
    }

    static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static void requireTenantId(String tenantId) {
        if (!Identifiers.isValid(tenantId)) {
            throw new IllegalArgumentException("tenant ids are 1-128 characters of [A-Za-z0-9._:-], and not . or ..");
        }
        if (tenantId.startsWith(RESERVED_PREFIX)) {
            throw new IllegalArgumentException("tenant ids starting with " + RESERVED_PREFIX + " are reserved");
        }
    }

    private static String requireName(String name) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME_LENGTH
                || name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("a name is 1-" + MAX_NAME_LENGTH + " printable characters");
        }
        return name;
    }
}
