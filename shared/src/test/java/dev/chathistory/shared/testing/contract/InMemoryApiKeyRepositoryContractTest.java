package dev.chathistory.shared.testing.contract;

import dev.chathistory.shared.auth.ApiKeyRepository;
import dev.chathistory.shared.testing.InMemoryApiKeyRepository;

/** The contract of {@link ApiKeyRepository} against the in-memory fake the service tests use. */
class InMemoryApiKeyRepositoryContractTest extends ApiKeyRepositoryContract {

    @Override
    protected ApiKeyRepository newRepository() {
        return new InMemoryApiKeyRepository();
    }
}
