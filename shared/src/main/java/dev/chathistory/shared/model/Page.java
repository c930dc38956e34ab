package dev.chathistory.shared.model;

import java.util.List;
import java.util.Optional;

/**
 * One page of a newest-first listing. {@code resumeAfter} is the sort position to continue
 * from, present while more items may follow.
 */
public record Page<T>(List<T> items, Optional<String> resumeAfter) {
    public Page {
        items = List.copyOf(items);
    }
}
