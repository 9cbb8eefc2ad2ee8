package org.segstream.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Properties;
import org.segstream.segmenter.SegmenterConfig;
import org.segstream.segmenter.model.ModelDescriptor;
import picocli.CommandLine.IVersionProvider;

/** {@code segstream --version}: segstream's version (the Maven project's) and the bundled model's name and version. */
public final class VersionInfo implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {"segstream " + segstreamVersion(), "model " + bundledModel(SegstreamCli.home()),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"};
    }

    /** The version Maven filtered into version.properties, else the jar manifest's Implementation-Version. */
    static String segstreamVersion() {
        try (InputStream in = VersionInfo.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                var properties = new Properties();
                properties.load(in);
                String version = properties.getProperty("version", "");
                if (!version.isBlank() && !version.startsWith("${")) {
                    return version;
                }
            }
        } catch (IOException ignored) {
            // fall back to the manifest
        }
        String manifest = VersionInfo.class.getPackage().getImplementationVersion();
        return manifest != null ? manifest : "(unknown version)";
    }

    /** "fcn8s-slim 0.2.0 (models/fcn8s-slim.json)", or why the descriptor cannot be read. */
    static String bundledModel(Path home) {
        Path descriptor = home.resolve(SegmenterConfig.DEFAULT_MODEL);
        try {
            ModelDescriptor model = ModelDescriptor.read(descriptor);
            return model.name() + " " + model.version() + " (" + descriptor + ")";
        } catch (IOException e) {
            return "unavailable: " + e.getMessage();
        }
    }
}
