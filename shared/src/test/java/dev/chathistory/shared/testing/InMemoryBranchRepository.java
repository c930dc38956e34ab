package dev.chathistory.shared.testing;

import dev.chathistory.shared.branches.BranchPoint;
import dev.chathistory.shared.branches.BranchRepository;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Page;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An honest fake of {@link BranchRepository}. Like DynamoDB, where a branch's mark sorts at the
 * bottom of its chat's history range, the message repository's history reads find the marks.
 */
public final class InMemoryBranchRepository implements BranchRepository, HeldItems {

    private final Map<ChatRef, BranchPoint> marks = new HashMap<>();
    private final Map<ChatRef, TreeMap<String, BranchPoint>> entries = new HashMap<>();

    public InMemoryBranchRepository(InMemoryMessageRepository messages) {
        messages.attachBranches(this);
    }

    @Override
    public synchronized boolean create(ChatRef parent, BranchPoint branch) {
        ChatRef branchChat = new ChatRef(parent.tenantId(), branch.branchId());
        BranchPoint existing = marks.get(branchChat);
        if (existing != null) {
            return existing.equals(branch);
        }
        marks.put(branchChat, branch);
        entries.computeIfAbsent(parent, p -> new TreeMap<>()).put(branch.branchId(), branch);
        return true;
    }

    @Override
    public synchronized Optional<BranchPoint> find(ChatRef chat) {
        return Optional.ofNullable(marks.get(chat));
    }

    @Override
    public synchronized Page<BranchPoint> list(ChatRef parent, int limit, String after) {
        TreeMap<String, BranchPoint> all = entries.getOrDefault(parent, new TreeMap<>());
        List<BranchPoint> rest = new ArrayList<>((after == null ? all : all.tailMap(after, false)).values());
        List<BranchPoint> page = rest.subList(0, Math.min(limit, rest.size()));
        return new Page<>(page, rest.size() > limit
                ? Optional.of(page.get(page.size() - 1).branchId()) : Optional.empty());
    }

    @Override
    public synchronized List<HeldItem> heldItems() {
        List<HeldItem> items = new ArrayList<>();
        marks.forEach((chat, mark) -> items.add(HeldItem.of("branchMarks", chat, mark, chat.tenantId())));
        entries.forEach((parent, byId) -> byId.forEach((id, entry) -> items.add(HeldItem.of("branchEntries",
                parent + "/" + id, entry, parent.tenantId()))));
        return items;
    }
}
