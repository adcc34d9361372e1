package dev.mqttkit.internal.net;

import dev.mqttkit.Tls;
import dev.mqttkit.TlsException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Loads {@link Tls} settings from PEM files into a socket factory for TLS 1.2 and 1.3. Key material stays in
 * memory, in the SSL context; no message here ever contains it.
 */
public final class TlsContexts {

    private static final char[] NO_PASSWORD = new char[0];

    private TlsContexts() {
    }

    /**
     * Builds the socket factory for TLS settings.
     *
     * @param tls the settings
     * @param serverUri the broker, for error messages
     * @return the factory
     * @throws TlsException when a file cannot be read or is not in a supported format
     */
    private static final java.util.List<String> MODERN = java.util.List.of("TLSv1.3", "TLSv1.2");

    /**
     * The protocols a socket of ours may use: TLS 1.2 and 1.3, of those the socket supports.
     *
     * @param socket a TLS socket
     * @return the protocols to enable
     */
    static String[] modernProtocols(javax.net.ssl.SSLSocket socket) {
        return java.util.Arrays.stream(socket.getSupportedProtocols()).filter(MODERN::contains)
                .toArray(String[]::new);
    }

    /**
     * The JVM's own TLS settings (its trust store), for {@code ssl://} without {@code tls(...)}.
     *
     * @return the factory
     * @throws TlsException when the JVM's TLS cannot be set up
     */
    public static SSLSocketFactory jvmDefault() {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init((KeyStore) null);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, ServerCertificates.watched(trust.getTrustManagers()), null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new TlsException(null, "Cannot set up the JVM's TLS: " + e.getMessage(), e);
        }
    }

    public static SSLSocketFactory socketFactory(Tls tls, String serverUri) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (tls.caCertificate() == null) {
                trust.init((KeyStore) null);
            } else {
                KeyStore trusted = KeyStore.getInstance("PKCS12");
                trusted.load(null, null);
                int n = 0;
                for (X509Certificate ca : certificates(tls.caCertificate(), serverUri)) {
                    trusted.setCertificateEntry("ca-" + n++, ca);
                }
                trust.init(trusted);
            }
            KeyManagerFactory keys = null;
            if (tls.clientCertificate() != null) {
                List<X509Certificate> chain = certificates(tls.clientCertificate(), serverUri);
                PrivateKey key = privateKey(tls.clientKey(), serverUri);
                KeyStore identity = KeyStore.getInstance("PKCS12");
                identity.load(null, null);
                identity.setKeyEntry("client", key, NO_PASSWORD, chain.toArray(new Certificate[0]));
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(identity, NO_PASSWORD);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), ServerCertificates.watched(trust.getTrustManagers()),
                    null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsException(serverUri, "Cannot set up TLS for " + serverUri + ": " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> certificates(Path file, String serverUri) {
        byte[] pem = read(file, "certificate", serverUri);
        String text = new String(pem, StandardCharsets.US_ASCII);
        if (text.contains("PRIVATE KEY-----") && !text.contains("-----BEGIN CERTIFICATE-----")) {
            throw new TlsException(serverUri, "Certificate file [" + file + "] holds a private key, not a "
                    + "certificate: are the certificate and the key swapped? Tls.withClientCertificate(certificate, "
                    + "key) takes the certificate first.", null);
        }
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            Collection<? extends Certificate> read = factory.generateCertificates(new ByteArrayInputStream(pem));
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate certificate : read) {
                certificates.add((X509Certificate) certificate);
            }
            if (certificates.isEmpty()) {
                throw new TlsException(serverUri, "Certificate file [" + file + "] has no PEM certificate "
                        + "(-----BEGIN CERTIFICATE-----).", null);
            }
            return certificates;
        } catch (GeneralSecurityException e) {
            throw new TlsException(serverUri, "Certificate file [" + file + "] is not a PEM X.509 certificate: "
                    + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(Path file, String serverUri) {
        String pem = new String(read(file, "private key", serverUri), StandardCharsets.US_ASCII);
        if (pem.contains("-----BEGIN CERTIFICATE-----") && !pem.contains("PRIVATE KEY-----")) {
            throw new TlsException(serverUri, "Private key file [" + file + "] holds a certificate, not a private "
                    + "key: are the certificate and the key swapped? Tls.withClientCertificate(certificate, key) "
                    + "takes the key second.", null);
        }
        String convert = "; convert it with: openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key-pkcs8.pem";
        if (pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
            throw new TlsException(serverUri, "Private key file [" + file + "] is encrypted, which mqttkit does not "
                    + "read; decrypt it with: openssl pkey -in " + file + " -out key-pkcs8.pem (it asks for the "
                    + "passphrase).", null);
        }
        if (pem.contains("-----BEGIN RSA PRIVATE KEY-----") || pem.contains("-----BEGIN EC PRIVATE KEY-----")) {
            throw new TlsException(serverUri, "Private key file [" + file + "] is in the traditional OpenSSL format "
                    + "(PKCS#1 or SEC1), not PKCS#8" + convert + ".", null);
        }
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new TlsException(serverUri, "Private key file [" + file + "] has no PKCS#8 PEM key "
                    + "(-----BEGIN PRIVATE KEY-----)" + convert + ".", null);
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end));
        } catch (IllegalArgumentException e) {
            throw new TlsException(serverUri, "Private key file [" + file + "] is not valid base64 PEM.", null);
        }
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException notThisAlgorithm) {
                // try the next one
            }
        }
        throw new TlsException(serverUri, "Private key file [" + file + "] holds a PKCS#8 key that is not RSA or EC.",
                null);
    }

    private static byte[] read(Path file, String what, String serverUri) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new TlsException(serverUri, "Cannot read the " + what + " file [" + file + "]: " + e, e);
        }
    }
}
