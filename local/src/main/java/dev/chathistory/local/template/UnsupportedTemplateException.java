package dev.chathistory.local.template;

/** The template uses something the local stack cannot reproduce. */
public final class UnsupportedTemplateException extends RuntimeException {
    public UnsupportedTemplateException(String message) {
        super(message);
    }
}
