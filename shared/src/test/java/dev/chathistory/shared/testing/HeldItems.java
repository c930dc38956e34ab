package dev.chathistory.shared.testing;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A fake that can list everything it holds, item by item, each with the tenants it names. Tests
 * of tenant isolation (the ledger of {@code HostileInputPropertyTest}) compare two listings,
 * before and after, without reaching into a fake's fields; a fake that learns to store a new
 * kind of item lists it here too.
 */
public interface HeldItems {

    /**
     * One stored item.
     *
     * @param description names the kind of item first ({@code "messages: ..."}), then its key and
     *     value; it changes whenever the item does
     * @param tenants every tenant the item's key or value names: one for a tenant's data, none for
     *     what is shared by design (objects addressed by key alone), two or more for a leak
     */
    record HeldItem(String description, Set<String> tenants) {
        public HeldItem {
            tenants = Set.copyOf(tenants);
        }

        /** An item under {@code key}, naming {@code tenants} (repeats count once, nulls not at all). */
        public static HeldItem of(String kind, Object key, Object value, String... tenants) {
            return new HeldItem(kind + ": " + key + " = " + value, Arrays.stream(tenants).filter(Objects::nonNull)
                    .collect(Collectors.toCollection(TreeSet::new)));
        }
    }

    /** Everything held right now: a snapshot, safe to keep while the fake changes. */
    List<HeldItem> heldItems();
}
