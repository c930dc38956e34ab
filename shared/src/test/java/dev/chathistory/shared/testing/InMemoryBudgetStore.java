package dev.chathistory.shared.testing;

import dev.chathistory.shared.limits.BudgetStore;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** An honest fake of {@link BudgetStore}: the same windows and capacity, under one lock; counts takes. */
public final class InMemoryBudgetStore implements BudgetStore {

    private record Window(Instant start, int taken) {
    }

    private final Map<String, Window> windows = new HashMap<>();
    private int takes;

    @Override
    public synchronized Grant take(String scope, String name, int capacity, Duration window, int wanted,
                                   Instant now) {
        takes++;
        String key = scope + "/" + name;
        Window current = windows.get(key);
        if (current == null || !now.isBefore(current.start().plus(window))) {
            current = new Window(now, 0);
        }
        int granted = Math.min(wanted, capacity - current.taken());
        windows.put(key, new Window(current.start(), current.taken() + granted));
        return new Grant(granted, current.start().plus(window));
    }

    /** Calls of {@link #take}: each one a DynamoDB write in production. */
    public synchronized int takes() {
        return takes;
    }
}
