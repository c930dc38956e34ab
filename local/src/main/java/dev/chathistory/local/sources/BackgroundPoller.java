package dev.chathistory.local.sources;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A daemon thread that repeats one poll until closed; a failing poll is logged and retried a
 * second later, so an emulator hiccup never ends an event source.
 */
abstract class BackgroundPoller implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(BackgroundPoller.class.getName());

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    BackgroundPoller(String name) {
        this.thread = new Thread(this::pollUntilClosed, name);
        this.thread.setDaemon(true);
    }

    /** One round: receive, deliver, acknowledge. Called again as soon as it returns. */
    abstract void pollOnce();

    final void startPolling() {
        thread.start();
    }

    final boolean running() {
        return running.get();
    }

    @Override
    public void close() {
        running.set(false);
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void pollUntilClosed() {
        while (running.get()) {
            try {
                pollOnce();
            } catch (RuntimeException e) {
                if (running.get()) {
                    LOG.log(System.Logger.Level.WARNING, thread.getName() + ": polling failed: " + e);
                    pause(1_000);
                }
            }
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
