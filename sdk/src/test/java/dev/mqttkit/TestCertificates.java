package dev.mqttkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates made at test time with {@code openssl}, the way Mosquitto's TLS guide makes them: a CA, a broker
 * certificate for 127.0.0.1 and localhost, one for another host, a client certificate (EC), and a second CA that
 * signed nothing here. Test code.
 */
final class TestCertificates {

    final Path directory;

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

    Path wrongHost() {
        return directory.resolve("wronghost.crt");
    }

    Path wrongHostKey() {
        return directory.resolve("wronghost.key");
    }

    Path client() {
        return directory.resolve("client.crt");
    }

    Path clientKey() {
        return directory.resolve("client.key");
    }

    Path rsaTraditionalKey() {
        return directory.resolve("traditional.key");
    }

    Path encryptedKey() {
        return directory.resolve("encrypted.key");
    }

    /** A broker certificate that expired the moment it was made (valid 0 days). */
    Path expiredServer() {
        return directory.resolve("expired.crt");
    }

    Path expiredServerKey() {
        return directory.resolve("expired.key");
    }

    /** A client certificate signed by an intermediate CA (itself signed by the CA), alone in its file. */
    Path intermediateClient() {
        return directory.resolve("leaf.crt");
    }

    /** The same client certificate followed by its intermediate CA's: the whole chain. */
    Path intermediateClientChain() {
        return directory.resolve("leaf-chain.crt");
    }

    Path intermediateClientKey() {
        return directory.resolve("leaf.key");
    }

    /** Makes them all in a new temporary folder (deleted when the JVM exits). */
    static TestCertificates generate() {
        try {
            Path dir = Files.createTempDirectory("mqttkit-tls-");
            dir.toFile().deleteOnExit();
            TestCertificates certs = new TestCertificates(dir);
            certs.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
                    "-days", "2", "-subj", "/CN=mqttkit test CA");
            certs.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "other-ca.key", "-out",
                    "other-ca.crt", "-days", "2", "-subj", "/CN=another CA");
            certs.signed("server", "rsa:2048", "/CN=localhost", "subjectAltName=IP:127.0.0.1,DNS:localhost");
            certs.signed("wronghost", "rsa:2048", "/CN=other.example", "subjectAltName=DNS:other.example");
            certs.signed("client", "ec", "/CN=lab-client", "extendedKeyUsage=clientAuth");
            certs.signed("expired", "rsa:2048", "/CN=localhost", "subjectAltName=IP:127.0.0.1,DNS:localhost", "ca", "0");
            certs.signed("intermediate", "rsa:2048", "/CN=mqttkit test intermediate CA",
                    "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign", "ca", "2");
            certs.signed("leaf", "ec", "/CN=lab-client-2", "extendedKeyUsage=clientAuth", "intermediate", "2");
            Files.writeString(dir.resolve("leaf-chain.crt"), Files.readString(dir.resolve("leaf.crt"))
                    + Files.readString(dir.resolve("intermediate.crt")));
            certs.openssl("rsa", "-in", "server.key", "-traditional", "-out", "traditional.key");
            certs.openssl("pkcs8", "-topk8", "-in", "server.key", "-out", "encrypted.key", "-passout", "pass:secret");
            for (String name : new String[] {"server.key", "wronghost.key", "expired.key"}) {
                dir.resolve(name).toFile().setReadable(true, false); // Mosquitto may run as another user
            }
            return certs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void signed(String name, String keyType, String subject, String extension) throws IOException {
        signed(name, keyType, subject, extension, "ca", "2");
    }

    private void signed(String name, String keyType, String subject, String extension, String issuer, String days)
            throws IOException {
        List<String> request = new ArrayList<>(List.of("req", "-newkey", keyType));
        if (keyType.equals("ec")) {
            request.addAll(List.of("-pkeyopt", "ec_paramgen_curve:prime256v1"));
        }
        request.addAll(List.of("-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj", subject));
        openssl(request.toArray(new String[0]));
        Files.writeString(directory.resolve(name + ".ext"), extension + "\n");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", issuer + ".crt", "-CAkey", issuer + ".key",
                "-CAcreateserial", "-out", name + ".crt", "-days", days, "-extfile", name + ".ext");
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
