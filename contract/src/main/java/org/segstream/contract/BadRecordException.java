package org.segstream.contract;

/** A record that does not follow the topic contract; the message names what is wrong. */
public class BadRecordException extends RuntimeException {
    public BadRecordException(String message) {
        super(message);
    }

    public BadRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
