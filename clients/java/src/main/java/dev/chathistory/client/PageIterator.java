package dev.chathistory.client;

import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * Walks a listing page by page, fetching each page only when the items before it are used
 * up, until a page comes without a cursor. A short or even empty page with a cursor is not
 * the end: the service can return one while more follow.
 */
final class PageIterator<T> implements Iterator<T> {

    private final Function<String, Page<T>> fetchPage;
    private Iterator<T> items = Collections.emptyIterator();
    private String cursor;
    private boolean fetchedAny;

    PageIterator(Function<String, Page<T>> fetchPage) {
        this.fetchPage = fetchPage;
    }

    /** An iterable whose every iterator starts again from the first page, and fetches nothing until used. */
    static <T> Iterable<T> lazily(Function<String, Page<T>> fetchPage) {
        return () -> new PageIterator<>(fetchPage);
    }

    @Override
    public boolean hasNext() {
        while (!items.hasNext()) {
            if (fetchedAny && cursor == null) {
                return false;
            }
            Page<T> page = fetchPage.apply(cursor);
            fetchedAny = true;
            cursor = page.nextCursor();
            items = page.items().iterator();
        }
        return true;
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return items.next();
    }
}
