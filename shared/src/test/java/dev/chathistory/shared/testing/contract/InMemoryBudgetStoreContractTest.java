package dev.chathistory.shared.testing.contract;

import dev.chathistory.shared.limits.BudgetStore;
import dev.chathistory.shared.testing.InMemoryBudgetStore;

/** The contract of {@link BudgetStore} against the in-memory fake the service tests use. */
class InMemoryBudgetStoreContractTest extends BudgetStoreContract {

    @Override
    protected BudgetStore newStore() {
        return new InMemoryBudgetStore();
    }
}
