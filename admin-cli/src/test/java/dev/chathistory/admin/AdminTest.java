package dev.chathistory.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.shared.auth.ApiKeys;
import dev.chathistory.shared.ids.MessageIdGenerator;
import dev.chathistory.shared.limits.LimitOverrides;
import dev.chathistory.shared.testing.InMemoryApiKeyRepository;
import dev.chathistory.shared.testing.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class AdminTest {

    private final ApiKeys keys = new ApiKeys(new InMemoryApiKeyRepository(), MessageIdGenerator.ulid(),
            new MutableClock(Instant.parse("2026-11-28T10:00:00Z")));
    /** What set-retention recorded, by tenant: the fake behind {@link TenantRetention}. */
    private final Map<String, OptionalInt> retentions = new HashMap<>();
    private final TenantRetention retention = (tenant, days) -> {
        retentions.put(tenant, days);
        return 3;
    };
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return Admin.run(keys, retention, List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theOperator_shouldCreateATenant_issueAKeyShownOnce_listAndRevokeIt() {
        assertThat(run("create-tenant", "acme", "Acme support bot")).isZero();
        assertThat(run("issue-key", "acme", "production")).isZero();
        Matcher printed = Pattern.compile("key id: (\\S+)\\nkey:    (chk_\\S+)").matcher(out());
        assertThat(printed.find()).as(out()).isTrue();
        String keyId = printed.group(1);
        String key = printed.group(2);
        assertThat(keys.tenantOf(key)).contains("acme");

        assertThat(run("list-keys", "acme")).isZero();
        assertThat(out()).contains(keyId).contains("active").contains("production").doesNotContain(key);

        assertThat(run("revoke-key", "acme", keyId)).isZero();
        assertThat(keys.tenantOf(key)).isEmpty();
        run("list-keys", "acme");
        assertThat(out()).contains("revoked");
    }

    @Test
    void setLimits_shouldGiveTheTenantAndEachOfItsKeysItsOwnLimits() {
        run("create-tenant", "acme", "Acme support bot");
        String before = keys.issue("acme", "old").key();

        assertThat(run("set-limits", "acme", "1200", "0", "3")).isZero();
        String after = keys.issue("acme", "new").key();

        LimitOverrides expected = new LimitOverrides(1200, 0, 3);
        assertThat(keys.authorize(before).orElseThrow().limits()).isEqualTo(expected);
        assertThat(keys.authorize(after).orElseThrow().limits()).as("a key issued later").isEqualTo(expected);
        assertThat(run("set-limits", "acme", "0", "0", "0")).isZero();
        assertThat(keys.authorize(before).orElseThrow().limits()).isEqualTo(LimitOverrides.NONE);
        assertThat(run("set-limits", "acme", "-1", "0", "0")).isEqualTo(1);
        assertThat(run("set-limits", "nobody", "1", "1", "1")).isEqualTo(1);
    }

    @Test
    void setRetention_shouldRecordDaysOrNone_forATenantThatExists() {
        keys.createTenant("acme", "Acme");

        assertThat(run("set-retention", "acme", "90")).isZero();
        assertThat(out()).contains("retention of acme: 90 days").contains("retention jobs queued for 3 chats");
        assertThat(retentions).containsEntry("acme", OptionalInt.of(90));
        assertThat(run("set-retention", "acme", "none")).isZero();
        assertThat(retentions).containsEntry("acme", OptionalInt.empty());

        assertThat(run("set-retention", "acme", "0")).isEqualTo(1);
        assertThat(run("set-retention", "acme", "36501")).isEqualTo(1);
        assertThat(run("set-retention", "acme", "ninety")).isEqualTo(1);
        assertThat(run("set-retention", "nobody", "30")).isEqualTo(1);
        assertThat(retentions).containsOnlyKeys("acme").containsEntry("acme", OptionalInt.empty());
    }

    @Test
    void mistakes_shouldExitNonZero_withAReason() {
        assertThat(run("issue-key", "nobody", "k")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no tenant nobody");
        assertThat(run("create-tenant", "sys.priming", "x")).isEqualTo(1);
        assertThat(run("revoke-key", "acme")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage");
        assertThat(run("delete-everything")).isEqualTo(2);
    }
}
