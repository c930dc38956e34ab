package dev.chathistory.shared.service;

import java.util.List;
import java.util.Optional;

/** One page for the API: items and the opaque cursor of the next page, if any. */
public record ListPage<T>(List<T> items, Optional<String> nextCursor) {
    public ListPage {
        items = List.copyOf(items);
    }
}
