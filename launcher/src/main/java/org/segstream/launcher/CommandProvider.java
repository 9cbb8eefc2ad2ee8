package org.segstream.launcher;

/**
 * A command that a jar outside the launcher adds to {@code ./segstream}, found with {@link java.util.ServiceLoader}
 * (listed in the jar's {@code META-INF/services/org.segstream.launcher.CommandProvider}). The command exists only
 * where that jar is on the classpath: {@code segstream bench} is one, so the launcher's own jar and image carry
 * no benchmark.
 */
public interface CommandProvider {
    /** A picocli command object (annotated with {@code @Command}, a {@code Callable<Integer>}) that runs with {@code context}. */
    Object command(CliContext context);
}
