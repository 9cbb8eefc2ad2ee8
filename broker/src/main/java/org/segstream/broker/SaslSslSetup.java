package org.segstream.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a SASL_SSL/SCRAM-SHA-512 embedded broker needs: a self-signed certificate for 127.0.0.1 made
 * with the JDK's keytool, a truststore holding it, SCRAM credentials written at format time, and the
 * matching broker and client settings. The broker's own inter-broker user is "broker".
 */
record SaslSslSetup(Path keystore, Path truststore, String storePassword, String user, String password, String brokerPassword) {

    static SaslSslSetup create(Path dir, String user, String password) {
        String storePassword = "store-" + Long.toHexString(System.nanoTime());
        Path keystore = dir.resolve("broker.p12");
        Path certificate = dir.resolve("broker.crt");
        Path truststore = dir.resolve("truststore.p12");
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "7",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", storePassword, "-keypass", storePassword);
        keytool("-exportcert", "-rfc", "-alias", "broker", "-keystore", keystore.toString(), "-storepass", storePassword,
                "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", certificate.toString(),
                "-keystore", truststore.toString(), "-storetype", "PKCS12", "-storepass", storePassword);
        return new SaslSslSetup(keystore, truststore, storePassword, user, password, "broker-" + Long.toHexString(System.nanoTime()));
    }

    Map<String, String> brokerProperties() {
        return Map.of(
                "sasl.enabled.mechanisms", "SCRAM-SHA-512",
                "sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-512",
                "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config", jaas("broker", brokerPassword),
                "ssl.keystore.location", keystore.toString(),
                "ssl.keystore.type", "PKCS12",
                "ssl.keystore.password", storePassword,
                "ssl.key.password", storePassword,
                "ssl.truststore.location", truststore.toString(),
                "ssl.truststore.type", "PKCS12",
                "ssl.truststore.password", storePassword);
    }

    List<String> scramFormatArguments() {
        List<String> args = new ArrayList<>();
        args.add("--add-scram");
        args.add("SCRAM-SHA-512=[name=broker,password=" + brokerPassword + "]");
        args.add("--add-scram");
        args.add("SCRAM-SHA-512=[name=" + user + ",password=" + password + "]");
        return args;
    }

    Map<String, String> clientProperties() {
        return clientProperties(password);
    }

    Map<String, String> clientProperties(String withPassword) {
        return Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", jaas(user, withPassword),
                "ssl.truststore.location", truststore.toString(),
                "ssl.truststore.type", "PKCS12",
                "ssl.truststore.password", storePassword);
    }

    private static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\"" + password + "\";";
    }

    private static void keytool(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run keytool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running keytool", e);
        }
    }
}
