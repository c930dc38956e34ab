package dev.chathistory.maintenance;

import dev.chathistory.shared.archive.ArchiveChunk;
import dev.chathistory.shared.archive.ArchiveIndex;
import dev.chathistory.shared.archive.ChatArchiver;
import dev.chathistory.shared.model.ChatRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * Deletes archive chunk objects that no manifest entry names: a chunk written but never indexed
 * (the job timed out, was throttled or failed its read-back) and a chunk an erase replaced in
 * the manifest. Only objects older than the grace period go. An object is written before its
 * manifest commit and the commit follows within one job invocation, so the grace period, longer
 * than the job function's timeout, means a chunk still on its way to the manifest is never taken
 * for an orphan.
 *
 * <p>The listing is in key order, which groups a chat's chunks together, so each chat's manifest
 * is read once per run. The position is saved after every page and the run stops after
 * {@link #MAX_OBJECTS_PER_RUN} objects or when the invocation's time runs low; the next run goes
 * on from there, and after the last page starts over from the first.
 */
public final class OrphanedChunkSweep {

    /** Objects looked at per run; bounds the work of one invocation. */
    static final int MAX_OBJECTS_PER_RUN = 5000;
    static final int PAGE_SIZE = 1000;

    private final ArchiveObjects objects;
    private final ArchiveIndex index;
    private final ArchiveSweepPosition position;
    private final Clock clock;
    private final Duration gracePeriod;
    private BiConsumer<ChatRef, List<ArchiveChunk>> manifestListener = (chat, chunks) -> { };

    public OrphanedChunkSweep(ArchiveObjects objects, ArchiveIndex index, ArchiveSweepPosition position, Clock clock,
                              Duration gracePeriod) {
        this.objects = objects;
        this.index = index;
        this.position = position;
        this.clock = clock;
        this.gracePeriod = gracePeriod;
    }

    /**
     * Hands each chat's manifest, as the walk reaches it, to {@code listener} too: the retention
     * sweep looks there for chunks past retention, so the archive is walked once for both.
     */
    public OrphanedChunkSweep onManifestRead(BiConsumer<ChatRef, List<ArchiveChunk>> listener) {
        this.manifestListener = listener;
        return this;
    }

    /** Reads the saved position and one listed key, deleting nothing, for priming before a snapshot. */
    void prime() {
        position.read();
        objects.listAfter(null, 1);
    }

    /** Returns how many orphaned chunk objects were deleted. */
    public int run(TimeBudget budget) {
        String after = position.read().orElse(null);
        Manifest manifest = new Manifest();
        int looked = 0;
        int deleted = 0;
        while (looked < MAX_OBJECTS_PER_RUN && !budget.exhausted()) {
            ArchiveObjects.Page page = objects.listAfter(after, Math.min(PAGE_SIZE, MAX_OBJECTS_PER_RUN - looked));
            Instant cutoff = clock.instant().minus(gracePeriod);
            for (ArchiveObjects.StoredObject object : page.objects()) {
                ChatArchiver.chatOf(object.key()).ifPresent(manifest::reach);
                if (isOrphan(object, cutoff, manifest)) {
                    objects.delete(object.key());
                    deleted++;
                }
            }
            looked += page.objects().size();
            after = page.more() && !page.objects().isEmpty()
                    ? page.objects().get(page.objects().size() - 1).key()
                    : null;
            position.save(after);
            if (after == null) {
                break;
            }
        }
        return deleted;
    }

    private boolean isOrphan(ArchiveObjects.StoredObject object, Instant cutoff, Manifest manifest) {
        if (!object.lastModified().isBefore(cutoff)) {
            return false;
        }
        Optional<ChatRef> chat = ChatArchiver.chatOf(object.key());
        if (chat.isEmpty() || manifest.names(chat.get(), object.key())) {
            // Named by the manifest, or not a chunk key at all and so not ours to judge.
            return false;
        }
        // Keys are content hashes: an archive run may have written the same chunk again since the
        // listing, on its way to naming it. Its write time, read now, tells.
        return objects.lastModified(object.key()).filter(t -> t.isBefore(cutoff)).isPresent();
    }

    /** The object keys one chat's manifest names, read when the listing reaches that chat. */
    private final class Manifest {
        private ChatRef chat;
        private Set<String> keys = Set.of();

        void reach(ChatRef of) {
            if (!of.equals(chat)) {
                chat = of;
                List<ArchiveChunk> chunks = index.listAll(of);
                keys = chunks.stream().map(ArchiveChunk::objectKey).collect(Collectors.toSet());
                manifestListener.accept(of, chunks);
            }
        }

        boolean names(ChatRef of, String key) {
            reach(of);
            return keys.contains(key);
        }
    }
}
