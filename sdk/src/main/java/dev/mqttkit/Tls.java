package dev.mqttkit;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How the client checks the broker over TLS, and which certificate it shows, from PEM files such as those
 * Mosquitto's TLS guide makes with {@code openssl}.
 *
 * <pre>{@code
 * MyMqtt mqtt = MyMqtt.builder()
 *         .serverUri("ssl://broker.lab:8883")
 *         .tls(Tls.trusting(Path.of("ca.crt"))                                  // the CA that signed the broker
 *                 .withClientCertificate(Path.of("client.crt"), Path.of("client.key")))   // mutual TLS
 *         .build();
 * }</pre>
 *
 * <p>TLS 1.2 or 1.3, and the broker's certificate must name the host of the server URI (hostname verification)
 * unless {@link #withoutHostnameVerification()}. Without a {@code Tls}, an {@code ssl://} URI uses the JVM's trust
 * store. Private keys must be PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}), RSA or EC, unencrypted; another
 * format gets an error with the {@code openssl} command that converts it. The files are read when the client is
 * built. Immutable; {@link #toString()} shows the paths, never key material.
 */
public final class Tls {

    private final Path caCertificate;
    private final Path clientCertificate;
    private final Path clientKey;
    private final boolean hostnameVerification;

    private Tls(Path caCertificate, Path clientCertificate, Path clientKey, boolean hostnameVerification) {
        this.caCertificate = caCertificate;
        this.clientCertificate = clientCertificate;
        this.clientKey = clientKey;
        this.hostnameVerification = hostnameVerification;
    }

    /**
     * Trusts the brokers whose certificates a CA signed (and only those).
     *
     * @param caCertificatePem the CA's certificate, PEM; several certificates in one file are all trusted
     * @return the TLS settings
     */
    public static Tls trusting(Path caCertificatePem) {
        return new Tls(Objects.requireNonNull(caCertificatePem, "caCertificatePem"), null, null, true);
    }

    /**
     * Trusts what the JVM's trust store trusts, as an {@code ssl://} URI does without a {@code Tls}: for brokers
     * with a certificate from a public CA, with a client certificate of your own.
     *
     * @return the TLS settings
     */
    public static Tls jvmTrustStore() {
        return new Tls(null, null, null, true);
    }

    /**
     * Shows the broker this client certificate (mutual TLS, Mosquitto's {@code require_certificate true}).
     *
     * @param certificatePem the client's certificate, PEM, optionally followed by its intermediate CAs
     * @param privateKeyPem its private key, PKCS#8 PEM, unencrypted
     * @return new TLS settings
     */
    public Tls withClientCertificate(Path certificatePem, Path privateKeyPem) {
        return new Tls(caCertificate, Objects.requireNonNull(certificatePem, "certificatePem"),
                Objects.requireNonNull(privateKeyPem, "privateKeyPem"), hostnameVerification);
    }

    /**
     * Accepts a broker certificate that does not name the host connected to. Only for a lab broker reached by an
     * address its certificate does not list: anyone with a certificate from the same CA can then pose as it.
     *
     * @return new TLS settings
     */
    public Tls withoutHostnameVerification() {
        return new Tls(caCertificate, clientCertificate, clientKey, false);
    }

    /**
     * Returns the trusted CA certificate file.
     *
     * @return the file, or {@code null} for the JVM's trust store
     */
    public Path caCertificate() {
        return caCertificate;
    }

    /**
     * Returns the client certificate file.
     *
     * @return the file, or {@code null} for none
     */
    public Path clientCertificate() {
        return clientCertificate;
    }

    /**
     * Returns the client's private key file.
     *
     * @return the file, or {@code null} for none
     */
    public Path clientKey() {
        return clientKey;
    }

    /**
     * Tells whether the broker's certificate must name the host.
     *
     * @return {@code true} unless {@link #withoutHostnameVerification()}
     */
    public boolean hostnameVerification() {
        return hostnameVerification;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Tls that && Objects.equals(caCertificate, that.caCertificate)
                && Objects.equals(clientCertificate, that.clientCertificate) && Objects.equals(clientKey, that.clientKey)
                && hostnameVerification == that.hostnameVerification;
    }

    @Override
    public int hashCode() {
        return Objects.hash(caCertificate, clientCertificate, clientKey, hostnameVerification);
    }

    @Override
    public String toString() {
        return "Tls[trust=" + (caCertificate == null ? "JVM trust store" : caCertificate)
                + (clientCertificate == null ? "" : ", clientCertificate=" + clientCertificate + ", clientKey="
                        + clientKey) + (hostnameVerification ? "" : ", no hostname verification") + "]";
    }
}
