package dev.chathistory.local.aws;

/**
 * The gateway cannot tell which IAM action a request needs. It refuses the request rather
 * than let an unchecked call through: teach the service's checks the new request.
 */
public final class UnknownRequestException extends RuntimeException {

    public UnknownRequestException(String message) {
        super(message);
    }
}
