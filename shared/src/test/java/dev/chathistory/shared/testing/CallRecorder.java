package dev.chathistory.shared.testing;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records which methods of an interface were called ({@code Type.method}), passing every call on:
 * what priming tests use to show a priming ran through a layer and only read there.
 */
public final class CallRecorder {

    private final List<String> calls = new CopyOnWriteArrayList<>();

    public <T> T wrap(Class<T> type, T delegate) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getDeclaringClass() != Object.class) {
                calls.add(type.getSimpleName() + "." + method.getName());
            }
            try {
                return method.invoke(delegate, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }

    public List<String> calls() {
        return List.copyOf(calls);
    }
}
