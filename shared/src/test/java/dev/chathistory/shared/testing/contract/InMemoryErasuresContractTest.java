package dev.chathistory.shared.testing.contract;

import dev.chathistory.shared.erasure.Erasures;
import dev.chathistory.shared.testing.InMemoryErasures;

/** The contract of {@link Erasures} against the in-memory fake the service tests use. */
class InMemoryErasuresContractTest extends ErasuresContract {

    @Override
    protected Erasures newErasures() {
        return new InMemoryErasures();
    }
}
