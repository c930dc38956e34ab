package dev.chathistory.client;

import java.time.Duration;

/** How the client waits between retries; replaceable so tests need not really wait. */
@FunctionalInterface
public interface Sleeper {

    Sleeper THREAD_SLEEP = duration -> Thread.sleep(duration.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
