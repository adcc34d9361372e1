package dev.mqttkit.samples.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates made at test time with {@code openssl}, the way Mosquitto's TLS guide makes them: a CA, a broker
 * certificate for 127.0.0.1 and localhost, a client certificate (EC), and a second CA that signed nothing here.
 * (The SDK's tests have the same, with more kinds; this copy holds what the command line's tests need.)
 */
final class TestCertificates {

    private final Path directory;

    private TestCertificates(Path directory) {
        this.directory = directory;
    }

    Path ca() {
        return directory.resolve("ca.crt");
    }

    Path otherCa() {
        return directory.resolve("other-ca.crt");
    }

    Path server() {
        return directory.resolve("server.crt");
    }

    Path serverKey() {
        return directory.resolve("server.key");
    }

    Path client() {
        return directory.resolve("client.crt");
    }

    Path clientKey() {
        return directory.resolve("client.key");
    }

    /** Makes them all in a new temporary folder (deleted when the JVM exits). */
    static TestCertificates generate() {
        try {
            Path dir = Files.createTempDirectory("mqttkit-samples-tls-");
            dir.toFile().deleteOnExit();
            TestCertificates certs = new TestCertificates(dir);
            certs.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
                    "-days", "2", "-subj", "/CN=mqttkit samples test CA");
            certs.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "other-ca.key", "-out",
                    "other-ca.crt", "-days", "2", "-subj", "/CN=another CA");
            certs.signed("server", "rsa:2048", "/CN=localhost", "subjectAltName=IP:127.0.0.1,DNS:localhost");
            certs.signed("client", "ec", "/CN=lab-client", "extendedKeyUsage=clientAuth");
            dir.resolve("server.key").toFile().setReadable(true, false); // Mosquitto may run as another user
            return certs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void signed(String name, String keyType, String subject, String extension) throws IOException {
        List<String> request = new ArrayList<>(List.of("req", "-newkey", keyType));
        if (keyType.equals("ec")) {
            request.addAll(List.of("-pkeyopt", "ec_paramgen_curve:prime256v1"));
        }
        request.addAll(List.of("-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj", subject));
        openssl(request.toArray(new String[0]));
        Files.writeString(directory.resolve(name + ".ext"), extension + "\n");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out",
                name + ".crt", "-days", "2", "-extfile", name + ".ext");
    }

    private void openssl(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Path log = directory.resolve("openssl.log");
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("openssl " + String.join(" ", args) + " failed: " + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while running openssl", e);
        }
    }
}
