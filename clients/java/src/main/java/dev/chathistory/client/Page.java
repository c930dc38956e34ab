package dev.chathistory.client;

import java.util.List;

/**
 * One page of a listing. Pass {@link #nextCursor()} back as the cursor to get the next page;
 * it is {@code null} on the last one. A page can hold fewer items than asked for, even none,
 * while more follow: only the cursor says whether it is the last.
 */
public record Page<T>(List<T> items, String nextCursor) {

    public Page {
        items = items == null ? List.of() : List.copyOf(items);
    }

    public boolean hasMore() {
        return nextCursor != null;
    }
}
