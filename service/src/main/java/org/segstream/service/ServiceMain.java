package org.segstream.service;

import java.util.concurrent.Callable;

/**
 * How a service's {@code main} ends, the same for every service and as {@code ./segstream} does: the service's exit
 * code; a value it refuses ({@link IllegalArgumentException}) as one line and exit 2; any other failure as one line
 * and exit 1.
 */
public final class ServiceMain {
    /** The exit code of a service started with a value it refuses. */
    public static final int USAGE_EXIT = 2;

    private ServiceMain() {
    }

    /** Runs {@code service} and exits the JVM with its code; {@code name} starts the line of a failure. */
    public static void exit(String name, Callable<Integer> service) {
        int code;
        try {
            code = service.call();
        } catch (IllegalArgumentException e) {
            System.err.println(name + ": " + e.getMessage());
            code = USAGE_EXIT;
        } catch (Exception e) {
            System.err.println(name + ": " + e.getMessage());
            code = 1;
        }
        System.exit(code);
    }
}
