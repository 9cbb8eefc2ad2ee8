package org.segstream.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.segstream.testsupport.ServiceProcess;

/** {@code ./segstream COMMAND ARGS...} in a JVM of its own: {@link SegstreamCli} as a {@link ServiceProcess}. */
public final class CliProcess {
    private CliProcess() {
    }

    public static ServiceProcess start(String command, Map<String, String> env, Path log) throws IOException {
        return start(command, List.of(), env, log);
    }

    /**
     * {@code segstream run --out OUT --model (the slim model) --metrics-port -1 --live-port -1 SOURCES...}: a run on
     * one machine that serves nothing, this JVM's environment as it is.
     */
    public static ServiceProcess run(Path out, Path log, String... sources) throws IOException {
        List<String> args = new ArrayList<>(List.of("--out", out.toString(),
                "--model", Path.of("..", "models", "fcn8s-slim.json").toAbsolutePath().toString(), "--metrics-port", "-1", "--live-port", "-1"));
        args.addAll(List.of(sources));
        return start("run", args, Map.of(), log);
    }

    public static ServiceProcess start(String command, List<String> args, Map<String, String> env, Path log) throws IOException {
        List<String> commandLine = new ArrayList<>(List.of(command));
        commandLine.addAll(args);
        return ServiceProcess.start(SegstreamCli.class.getName(), commandLine, env, log);
    }
}
