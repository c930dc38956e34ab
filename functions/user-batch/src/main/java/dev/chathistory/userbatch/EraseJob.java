package dev.chathistory.userbatch;

import dev.chathistory.shared.archive.MultipartUploads;
import dev.chathistory.shared.archive.ObjectStore;
import dev.chathistory.shared.erasure.Erasures;
import dev.chathistory.shared.jobs.JobOutcome;
import dev.chathistory.shared.jobs.JobRepository;
import dev.chathistory.shared.jobs.JobRequest;
import dev.chathistory.shared.jobs.JobRun;
import dev.chathistory.shared.jobs.Leases;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.model.UserSettings;
import dev.chathistory.shared.repository.UserRepository;
import dev.chathistory.shared.retention.RetentionRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes everything a user stored up to the moment the erase began (its cutoff): in every chat
 * of their directory, their messages, versions, idempotency records, attachments and archived
 * lines ({@link ChatEraser}); then their exports (finished or half-uploaded), chat directory and
 * profile.
 *
 * <p>How it cannot report {@code verified} while data is stored:
 * <ul>
 *   <li>Before deleting anything it records a tombstone ({@link Erasures}) and its plan (the
 *       chats to visit) in the job record; a rerun resumes the plan and adds any chat filed since.
 *   <li>It holds the user's lease throughout and each chat's lease while erasing it, so no
 *       archive (of this user, or of another member of a group chat) or export runs meanwhile.
 *   <li>Each chat is read back before it leaves the directory; a chat the user wrote in again
 *       meanwhile stays filed.
 *   <li>The API remembers directory entries per container for a while, so a user writing again
 *       in an erased chat may not be filed again at once. The job therefore waits for that
 *       interval to pass (continuing in a delayed message), then files again every planned chat
 *       in which the user has messages, so what they wrote after the erase stays reachable by
 *       export and a later erase.
 *   <li>Finally it reads everything back, and fails (to be retried) if anything stored up to the
 *       cutoff is still found.
 * </ul>
 * The job record and the tombstone are kept as the receipt; they hold ids and times only.
 */
public final class EraseJob implements UserJob {

    private final ChatEraser chats;
    private final UserRepository users;
    private final ObjectStore objects;
    private final MultipartUploads uploads;
    private final JobRepository jobs;
    private final Erasures erasures;
    private final Leases leases;
    private final Clock clock;
    private final Duration leaseTtl;
    private final Duration settleDelay;
    private final RetentionRepository holds;

    /**
     * @param settleDelay how long after the last chat leaves the directory the job files again the
     *     chats written in since: the API's directory memory plus a margin for appends in flight
     */
    EraseJob(ChatEraser chats, UserRepository users, ObjectStore objects, MultipartUploads uploads,
             JobRepository jobs, Erasures erasures, Leases leases, Clock clock, Duration leaseTtl,
             Duration settleDelay, RetentionRepository holds) {
        this.holds = holds;
        this.chats = chats;
        this.users = users;
        this.objects = objects;
        this.uploads = uploads;
        this.jobs = jobs;
        this.erasures = erasures;
        this.leases = leases;
        this.clock = clock;
        this.leaseTtl = leaseTtl;
        this.settleDelay = settleDelay;
    }

    @Override
    public JobOutcome run(JobRun run) {
        JobRequest request = run.request();
        UserRef user = new UserRef(request.tenantId(), request.userId());
        try (Leases.Held userLease = run.hold(leases, Leases.user(user), clock.instant(), leaseTtl)) {
            ErasePlan plan = planFor(request, user);
            for (String key : plan.pendingDeletes()) {
                objects.delete(key);
                plan.deleted(key);
                save(request, plan);
            }
            for (String chatId : plan.pending()) {
                eraseChat(run, user, new ChatRef(user.tenantId(), chatId), plan);
            }
            if (!plan.profileErased()) {
                // Once only: while the job waits to settle, the user may legitimately store new
                // settings or exports, which are not the erase's to remove.
                JobOutcome.Counts step = new JobOutcome.Counts();
                step.add("exportUploadsAborted", uploads.abortAll(ExportJob.prefix(user)));
                for (String key : objects.list(ExportJob.prefix(user))) {
                    objects.delete(key);
                    step.add("exportsErased", 1);
                }
                users.deleteProfile(user);
                holds.forgetUserHold(user);
                plan.count(step.add("chats", plan.chats().size()));
                plan.profileErased(true);
                save(request, plan);
            }
            if (plan.settleAt() == null) {
                plan.settleAt(clock.instant().plus(settleDelay));
                save(request, plan);
            }
            Duration untilSettled = Duration.between(clock.instant(), plan.settleAt());
            if (!untilSettled.isNegative() && !untilSettled.isZero()) {
                return plan.totals().continueAfter(untilSettled);
            }
            int filedAgain = fileAgainWhereWrittenSince(user, plan);
            verifyNothingLeft(request, user, plan);
            return plan.totals().add("chatsFiledAgain", filedAgain).add("verified", 1).outcome();
        }
    }

    /** An erase of a user a legal hold is on: nothing was deleted. */
    static final class LegalHoldException extends IllegalStateException {
        LegalHoldException(UserRef user) {
            super("a legal hold is on user " + user.userId() + "; lift it and submit the erase again");
        }
    }

    private ErasePlan planFor(JobRequest request, UserRef user) {
        ErasePlan plan = jobs.checkpoint(request).map(ErasePlan::fromJson).orElse(null);
        if (plan == null) {
            // The API refuses an erase of a held user; a hold set since the submission stops it
            // here, before anything is deleted. It fails, visibly, rather than wait for the hold.
            if (holds.findUserHold(user)) {
                throw new LegalHoldException(user);
            }
            Instant cutoff = clock.instant();
            // The tombstone first: from here on, an export submitted earlier will not run, and an
            // import will not bring the user's legacy rows back.
            erasures.record(user, cutoff, request.jobId());
            plan = new ErasePlan(cutoff, users.listChats(user));
            save(request, plan);
        } else if (plan.include(users.listChats(user))) {
            save(request, plan);
        }
        return plan;
    }

    private void eraseChat(JobRun run, UserRef user, ChatRef chat, ErasePlan plan) {
        JobOutcome.Counts counts = new JobOutcome.Counts();
        try (Leases.Held chatLease = run.hold(leases, Leases.chat(chat), clock.instant(),
                leaseTtl)) {
            chats.erase(chat, user.userId(), counts, key -> {
                plan.deleteLater(key);
                save(run.request(), plan);
            }, key -> {
                plan.deleted(key);
                save(run.request(), plan);
            });
            List<String> left = chats.leftovers(chat, user.userId(), plan.cutoff());
            if (!left.isEmpty()) {
                // Typically a message written just before the cutoff landed after the read; the
                // retry erases it too.
                throw new IllegalStateException("erase read-back still found: " + String.join(", ", left));
            }
            if (!chats.hasMessages(chat, user.userId())) {
                users.forgetChat(user, chat.chatId());
            }
        }
        plan.chatDone(chat.chatId());
        plan.count(counts.add("chatsErased", 1));
        save(run.request(), plan);
    }

    private int fileAgainWhereWrittenSince(UserRef user, ErasePlan plan) {
        int filed = 0;
        for (String chatId : plan.chats()) {
            if (chats.hasMessages(new ChatRef(user.tenantId(), chatId), user.userId())) {
                users.rememberChat(user, chatId, clock.instant());
                filed++;
            }
        }
        return filed;
    }

    private void verifyNothingLeft(JobRequest request, UserRef user, ErasePlan plan) {
        List<String> found = new ArrayList<>();
        UserSettings settings = users.findSettings(user);
        if (settings.version() > 0 && !settings.updatedAt().isAfter(plan.cutoff())) {
            found.add("settings");
        }
        users.findActivity(user).flatMap(UserRepository.Activity::lastActiveAt)
                .filter(at -> !at.isAfter(plan.cutoff()))
                .ifPresent(at -> found.add("profile"));
        for (String key : objects.list(ExportJob.prefix(user))) {
            if (ExportJob.submittedAt(key).map(at -> !at.isAfter(plan.cutoff())).orElse(true)) {
                found.add("exports");
                break;
            }
        }
        for (String key : plan.pendingDeletes()) {
            if (objects.get(key).isPresent()) {
                found.add("a replaced archive chunk");
            }
        }
        for (String chatId : plan.chats()) {
            List<String> left = chats.leftovers(new ChatRef(user.tenantId(), chatId), user.userId(), plan.cutoff());
            if (!left.isEmpty()) {
                // The retry erases this chat again, and settles again after it.
                plan.reopen(chatId);
                found.addAll(left);
            }
        }
        if (!found.isEmpty()) {
            save(request, plan);
            throw new IllegalStateException("erase read-back still found: " + String.join(", ", found));
        }
    }

    private void save(JobRequest request, ErasePlan plan) {
        jobs.saveCheckpoint(request, plan.toJson());
    }
}
