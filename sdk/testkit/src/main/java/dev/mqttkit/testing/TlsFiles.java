package dev.mqttkit.testing;

import java.nio.file.Path;

/** The broker's TLS listener: the CA that signs client certificates, its own certificate and key. */
record TlsFiles(Path caCertificate, Path certificate, Path privateKey, boolean requireClientCertificate) {
}
