package org.segstream.launcher;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import org.segstream.config.ConfigException;
import org.segstream.config.Settings;
import org.segstream.service.ServiceLifecycle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The {@code ./segstream} command: picocli parses the command line into one of the commands below, each a
 * class of its own ({@link RunCommand} → {@link PipelineRun} for {@code run}; {@link IngestCommand},
 * {@link SegmenterCommand}, {@link SinkCommand} for the standalone services, which stop through
 * {@link ServiceLifecycle}), then calls it; commands of other jars on the classpath ({@link CommandProvider}: the
 * bench) come last. Usage errors are {@link UsageException}s: one line, exit 2.
 */
@Command(name = "segstream", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class,
        description = "Streaming video semantic segmentation on Apache Kafka.",
        synopsisSubcommandLabel = "COMMAND",
        footer = {"", "Every command answers --help. The standalone services (ingest, segmenter, sink, topics, verify) are",
                "configured by environment variables: KAFKA_BOOTSTRAP_SERVERS, SEGSTREAM_* (README.md lists them)."})
public final class SegstreamCli {

    private SegstreamCli() {
    }

    public static void main(String[] args) {
        int code;
        try {
            code = run(args, System.out, Settings.fromSystem());
        } catch (UsageException e) {
            System.err.println("segstream: " + e.getMessage());
            System.err.println("Try '" + e.command() + " --help' for more information.");
            code = 2;
        } catch (Exception e) {
            System.err.println("segstream: " + e.getMessage());
            code = 1;
        }
        System.exit(code);
    }

    /**
     * Runs the command of {@code args} and returns its exit status; {@code --help}, {@code --version} and
     * {@code help [COMMAND]} print to {@code out} and start nothing. Throws {@link UsageException} on a usage error.
     */
    public static int run(String[] args, PrintStream out, Map<String, String> env) throws Exception {
        return run(args, out, Settings.of(env));
    }

    /** As {@link #run(String[], PrintStream, Map)}, with the settings of {@code settings}. */
    public static int run(String[] args, PrintStream out, Settings settings) throws Exception {
        var writer = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        CommandLine cli = commandLine(new CliContext(out, settings, home()), writer);
        try {
            if (args.length == 0 || args[0].equals("help")) {
                CommandLine topic = args.length > 1 ? cli.getSubcommands().get(args[1]) : null;
                (topic == null ? cli : topic).usage(writer);
                return args.length == 0 ? 2 : 0;
            }
            if (!args[0].startsWith("-") && !cli.getSubcommands().containsKey(args[0])) {
                throw new UsageException("unknown command '" + args[0] + "'", "segstream");
            }
            ParseResult parsed = parse(cli, args);
            if (CommandLine.printHelpIfRequested(parsed)) {
                return 0;
            }
            CommandLine command = parsed.subcommand().commandSpec().commandLine();
            try {
                return command.<Callable<Integer>>getCommand().call();
            } catch (UsageException e) {
                throw e.command() != null ? e : new UsageException(e.getMessage(), command.getCommandSpec().qualifiedName());
            } catch (ConfigException e) { // a variable's value: a usage error as an option's is
                throw new UsageException(e.getMessage(), command.getCommandSpec().qualifiedName());
            }
        } finally {
            writer.flush();
        }
    }

    /** The command tree: one object per command, each given what it runs with. */
    static CommandLine commandLine(CliContext context, PrintWriter out) {
        CommandLine cli = new CommandLine(new SegstreamCli());
        for (Object command : List.of(new DemoCommand(context), new RunCommand(context), new SynthCommand(context),
                new IngestCommand(context), new SegmenterCommand(context), new SinkCommand(context),
                new TopicsCommand(context), new VerifyCommand(context))) {
            cli.addSubcommand(command);
        }
        for (CommandProvider provider : ServiceLoader.load(CommandProvider.class)) {
            cli.addSubcommand(provider.command(context));
        }
        // After the subcommands: each setting applies to the whole tree as it is when set.
        cli.setOut(out);
        cli.setUsageHelpWidth(110);
        cli.setExpandAtFiles(false); // "@x" is a source, not a file of arguments
        cli.setOverwrittenOptionsAllowed(true); // "--out a --out b": the last one counts, as it always did
        return cli;
    }

    private static ParseResult parse(CommandLine cli, String[] args) {
        try {
            return cli.parseArgs(args);
        } catch (ParameterException e) {
            throw usageError(e);
        }
    }

    /** picocli's message, except where a value did not convert: then segstream's own wording, naming option and value. */
    private static UsageException usageError(ParameterException e) {
        String command = e.getCommandLine().getCommandSpec().qualifiedName();
        if (e.getCause() instanceof CliValues.Refused refused) {
            return new UsageException(refused.getMessage(), command);
        }
        if (e.getArgSpec() instanceof OptionSpec option && e.getValue() != null && e.getCause() != null) {
            Class<?> type = option.type();
            if (type == int.class || type == long.class || type == Integer.class || type == Long.class) {
                return new UsageException(option.longestName() + " is '" + e.getValue() + "', expected a whole number", command);
            }
            if (type == double.class || type == Double.class) {
                return new UsageException(option.longestName() + " is '" + e.getValue() + "', expected a number", command);
            }
        }
        return new UsageException(e.getMessage(), command);
    }

    /** The repository root (set by the ./segstream script), where models/ lives. */
    static Path home() {
        return Path.of(System.getProperty("segstream.home", "."));
    }

    /** A command line segstream cannot run: one line saying what is wrong; exit status 2. */
    public static final class UsageException extends RuntimeException {
        private final String command;

        public UsageException(String message) {
            this(message, null);
        }

        public UsageException(String message, String command) {
            super(message);
            this.command = command;
        }

        /** The command whose --help explains it ("segstream run"), or null where it is not known yet. */
        public String command() {
            return command;
        }
    }
}
