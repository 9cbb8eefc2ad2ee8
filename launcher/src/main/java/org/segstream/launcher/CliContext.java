package org.segstream.launcher;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/** What every command runs with: where it prints its results, its environment, and the repository root (models/). */
public record CliContext(PrintStream out, Map<String, String> env, Path home) {
}
