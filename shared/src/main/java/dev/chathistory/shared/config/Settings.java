package dev.chathistory.shared.config;

import java.util.Map;

/** Parsing of numeric environment variables, with messages that name the variable. */
public final class Settings {

    private Settings() {
    }

    public static int intValue(Map<String, String> env, String name, int defaultValue) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, got '" + raw + "'", e);
        }
    }

    public static int intValue(Map<String, String> env, String name, int defaultValue, int min, int max) {
        int value = intValue(env, name, defaultValue);
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max);
        }
        return value;
    }

    public static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must be set");
        }
        return value.trim();
    }
}
