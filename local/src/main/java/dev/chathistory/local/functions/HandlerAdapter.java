package dev.chathistory.local.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

/**
 * Calls one handler instance the way the Lambda Java runtime does: the {@code Handler} string
 * names {@code package.Class::method} (or the class, for {@code handleRequest}); the event JSON
 * becomes the method's input type with the runtime's own serializers for AWS event classes and
 * Jackson for anything else, and the result goes back to JSON the same way. Stream handlers
 * get the raw bytes.
 */
final class HandlerAdapter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Object instance;
    private final Method method;
    private final boolean streaming;
    private final Codec input;
    private final Codec output;

    private HandlerAdapter(Object instance, Method method, boolean streaming, Codec input, Codec output) {
        this.instance = instance;
        this.method = method;
        this.streaming = streaming;
        this.input = input;
        this.output = output;
    }

    /** Loads the class and constructs it; call inside the function's environment. */
    static HandlerAdapter create(String handler) throws ReflectiveOperationException {
        String className = handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;
        String methodName = handler.contains("::") ? handler.substring(handler.indexOf("::") + 2) : "handleRequest";
        Class<?> type = Class.forName(className, true, Thread.currentThread().getContextClassLoader());
        Object instance = type.getConstructor().newInstance();
        for (Method candidate : type.getMethods()) {
            if (!candidate.getName().equals(methodName) || candidate.isBridge() || candidate.isSynthetic()
                    || Modifier.isStatic(candidate.getModifiers())) {
                continue;
            }
            Class<?>[] params = candidate.getParameterTypes();
            if (params.length == 3 && params[0] == InputStream.class && params[1] == OutputStream.class) {
                return new HandlerAdapter(instance, candidate, true, null, null);
            }
            if (params.length == 2 && params[1] == Context.class) {
                return new HandlerAdapter(instance, candidate, false,
                        Codec.of(candidate.getGenericParameterTypes()[0]),
                        Codec.of(candidate.getGenericReturnType()));
            }
        }
        throw new NoSuchMethodException(handler + ": no method (input, Context) or (InputStream, OutputStream, Context)");
    }

    String invoke(String eventJson, Context context) throws Throwable {
        try {
            if (streaming) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                method.invoke(instance, new ByteArrayInputStream(eventJson.getBytes(StandardCharsets.UTF_8)), out,
                        context);
                return out.toString(StandardCharsets.UTF_8);
            }
            Object result = method.invoke(instance, input.read(eventJson), context);
            return output.write(result);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** JSON to and from one Java type. */
    private record Codec(Class<?> raw, JavaType jacksonType, PojoSerializer<Object> eventSerializer) {

        @SuppressWarnings("unchecked")
        static Codec of(Type type) {
            JavaType javaType = JSON.getTypeFactory().constructType(type);
            Class<?> raw = javaType.getRawClass();
            PojoSerializer<Object> serializer = null;
            if (raw.getName().startsWith("com.amazonaws.services.lambda.runtime.events.")) {
                serializer = (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(raw,
                        Thread.currentThread().getContextClassLoader());
            }
            return new Codec(raw, javaType, serializer);
        }

        Object read(String json) throws java.io.IOException {
            if (raw == Void.class || raw == void.class) {
                return null;
            }
            if (eventSerializer != null) {
                return eventSerializer.fromJson(json);
            }
            if (raw == String.class && !json.trim().startsWith("\"")) {
                return json;
            }
            return JSON.readValue(json, jacksonType);
        }

        String write(Object value) throws java.io.IOException {
            if (value == null) {
                return "null";
            }
            if (eventSerializer != null) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                eventSerializer.toJson(value, out);
                return out.toString(StandardCharsets.UTF_8);
            }
            return JSON.writeValueAsString(value);
        }
    }
}
