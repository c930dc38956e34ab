package dev.chathistory.importer;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Rows done out of rows in the source, with rate and ETA on a terminal; silent otherwise. */
interface Progress extends AutoCloseable {

    void start(String task, long total, long done);

    void advance(long rows);

    @Override
    void close();

    static Progress none() {
        return new Progress() {
            @Override
            public void start(String task, long total, long done) {
            }

            @Override
            public void advance(long rows) {
            }

            @Override
            public void close() {
            }
        };
    }

    static Progress bar(PrintStream out) {
        return new Progress() {
            private ProgressBar bar;

            @Override
            public void start(String task, long total, long done) {
                close();
                bar = new ProgressBarBuilder()
                        .setTaskName(task)
                        .setInitialMax(total)
                        .startsFrom(done, java.time.Duration.ZERO)
                        .setStyle(ProgressBarStyle.ASCII)
                        .setUnit(" rows", 1)
                        .showSpeed()
                        .setUpdateIntervalMillis(500)
                        .setConsumer(new ConsoleProgressBarConsumer(out))
                        .build();
            }

            @Override
            public void advance(long rows) {
                if (bar != null) {
                    bar.stepBy(rows);
                }
            }

            @Override
            public void close() {
                if (bar != null) {
                    bar.close();
                    bar = null;
                }
            }
        };
    }
}
