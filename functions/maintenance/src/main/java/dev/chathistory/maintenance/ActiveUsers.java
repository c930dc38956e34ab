package dev.chathistory.maintenance;

import dev.chathistory.shared.model.UserRef;
import java.time.Instant;
import java.util.List;

/** Reads the active-users index one page at a time, so a sweep can stop and resume between pages. */
public interface ActiveUsers {

    /**
     * A page of users and where the next page starts.
     *
     * @param nextStartKey opaque; null when this was the shard's last page
     */
    record Page(List<UserRef> users, String nextStartKey) {
        public Page {
            users = List.copyOf(users);
        }
    }

    /**
     * Users in index partition {@code shardKey} last active in [{@code from}, {@code to}] (both
     * inclusive), continuing after {@code startKey} (null for the first page).
     */
    Page page(String shardKey, Instant from, Instant to, String startKey, int limit);
}
