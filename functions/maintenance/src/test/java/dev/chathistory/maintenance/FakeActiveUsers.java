package dev.chathistory.maintenance;

import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.repository.dynamodb.UsersTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The active-users index in memory, paged like DynamoDB: a page stops at the limit and then
 * always carries a start key, even when nothing follows (the next page is then empty). Users are
 * placed in shards with the same function the writers use.
 */
final class FakeActiveUsers implements ActiveUsers {

    private record Entry(UserRef user, Instant at) {
    }

    private final int shards;
    private final Map<String, List<Entry>> partitions = new TreeMap<>();
    private final List<String> queried = new ArrayList<>();

    FakeActiveUsers(int shards) {
        this.shards = shards;
    }

    /** Records activity the way the message API does; a later activity moves the user. */
    synchronized void activeAt(UserRef user, Instant at) {
        partitions.values().forEach(entries -> entries.removeIf(e -> e.user().equals(user)));
        List<Entry> entries = partitions.computeIfAbsent(UsersTable.activeShard(user, at, shards), k -> new ArrayList<>());
        entries.add(new Entry(user, at));
        entries.sort(Comparator.comparing(Entry::at).thenComparing(e -> e.user().userId()));
    }

    @Override
    public synchronized Page page(String shardKey, Instant from, Instant to, String startKey, int limit) {
        queried.add(shardKey + (startKey == null ? "" : "@" + startKey));
        List<Entry> matching = partitions.getOrDefault(shardKey, List.of()).stream()
                .filter(e -> !e.at().isBefore(from) && !e.at().isAfter(to))
                .toList();
        int offset = startKey == null ? 0 : Integer.parseInt(startKey);
        int end = Math.min(matching.size(), offset + limit);
        List<UserRef> users = matching.subList(offset, end).stream().map(Entry::user).toList();
        return new Page(users, end - offset == limit ? Integer.toString(end) : null);
    }

    synchronized List<String> queried() {
        return List.copyOf(queried);
    }
}
