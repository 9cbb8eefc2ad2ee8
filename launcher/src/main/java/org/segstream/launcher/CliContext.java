package org.segstream.launcher;

import java.io.PrintStream;
import java.nio.file.Path;
import org.segstream.config.Settings;

/** What every command runs with: where it prints its results, its settings (the environment), and the repository root (models/). */
public record CliContext(PrintStream out, Settings settings, Path home) {
}
