package dev.chathistory.maintenance;

import dev.chathistory.shared.jobs.JobRepository;
import dev.chathistory.shared.jobs.JobRepository.OpenJob;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Marks jobs expired that have been open (queued or running) and untouched for longer than any
 * retry path allows: their message was lost or sits in the dead-letter queue, and a client
 * polling the job should learn that rather than wait forever.
 *
 * <p>The OpenJobs index is partitioned by the day a job was opened. Only days up to the day of
 * the stale threshold can hold stale jobs; the eight days up to it are read, which covers a
 * week of missed runs (hourly runs need only the last one or two).
 */
public final class StaleJobExpiry {

    static final int LOOKBACK_DAYS = 7;

    private final JobRepository jobs;
    private final Clock clock;
    private final Duration staleAfter;

    public StaleJobExpiry(JobRepository jobs, Clock clock, Duration staleAfter) {
        this.jobs = jobs;
        this.clock = clock;
        this.staleAfter = staleAfter;
    }

    /** Lists the open jobs of a day long gone (there are none), for priming before a snapshot. */
    void prime() {
        jobs.listOpen(LocalDate.EPOCH.toString(), Instant.EPOCH);
    }

    /** @return how many jobs were expired; stops early, leaving the rest for the next run, when time runs low */
    public int expire(TimeBudget budget) {
        Instant now = clock.instant();
        Instant staleBefore = now.minus(staleAfter);
        LocalDate last = LocalDate.ofInstant(staleBefore, ZoneOffset.UTC);
        int expired = 0;
        for (LocalDate day = last.minusDays(LOOKBACK_DAYS); !day.isAfter(last); day = day.plusDays(1)) {
            if (budget.exhausted()) {
                return expired;
            }
            for (OpenJob job : jobs.listOpen(day.toString(), staleBefore)) {
                if (budget.exhausted()) {
                    return expired;
                }
                // Conditional: a job that moved on since the index listed it is left alone.
                if (jobs.expireIfStale(job.tenantId(), job.jobId(), staleBefore, now)) {
                    expired++;
                }
            }
        }
        return expired;
    }
}
