package dev.chathistory.local.functions;

import java.util.Map;

/**
 * Where each execution environment of a function gets its role's credentials, as Lambda puts
 * temporary keys in every new environment. {@link #NONE} leaves the keys to the JVM (tooling
 * credentials), for stacks run without the IAM gateway.
 */
public interface ExecutionCredentials {

    ExecutionCredentials NONE = () -> new Issued(Map.of(), () -> { });

    /** Credentials for one new environment. */
    Issued issue();

    /** The environment variables to add, and how to revoke them once the environment is gone. */
    record Issued(Map<String, String> variables, Runnable revoke) {
        public Issued {
            variables = Map.copyOf(variables);
        }
    }
}
