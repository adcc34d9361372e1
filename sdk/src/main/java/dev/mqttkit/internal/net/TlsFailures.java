package dev.mqttkit.internal.net;

import dev.mqttkit.TlsException;

/**
 * Says in plain words why a TLS connection failed, from what the JDK's TLS stack threw: as far as the broker's
 * alert and the certificate checks let the client know.
 */
public final class TlsFailures {

    private TlsFailures() {
    }

    /**
     * Describes a failed connection in plain words when TLS caused it.
     *
     * @param failure what connecting threw
     * @param serverUri the broker
     * @return the exception to throw, or {@code null} when TLS was not the cause
     */
    public static TlsException describe(Throwable failure, String serverUri) {
        Throwable tls = null;
        java.security.cert.CertificateException validity = null;
        StringBuilder messages = new StringBuilder();
        for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause instanceof java.security.cert.CertificateExpiredException
                    || cause instanceof java.security.cert.CertificateNotYetValidException) {
                validity = (java.security.cert.CertificateException) cause;
            }
            if (cause instanceof javax.net.ssl.SSLException || cause instanceof java.security.cert.CertificateException
                    || cause instanceof java.security.cert.CertPathValidatorException) {
                tls = tls == null ? cause : tls;
            }
            if (cause.getMessage() != null) {
                messages.append(cause.getMessage()).append('\n');
            }
        }
        if (tls == null) {
            return null;
        }
        String all = messages.toString();
        String host = java.net.URI.create(serverUri).getHost();
        String reason;
        if (validity != null) {
            // checked first: the JDK reports an expired certificate as a failed PKIX path too
            reason = validity instanceof java.security.cert.CertificateExpiredException
                    ? "the broker's certificate expired on " + date(validity.getMessage(), "NotAfter: ")
                            + " (the broker needs a new certificate, or the clock of this machine is wrong)"
                    : "the broker's certificate is not valid before " + date(validity.getMessage(), "NotBefore: ")
                            + " (the clock of this machine, or of the machine that made it, is wrong)";
        } else if (all.contains("PKIX path") || all.contains("unable to find valid certification path")) {
            reason = "the broker's certificate is not signed by a CA this client trusts (check Tls.trusting(...): "
                    + "it must be the CA that signed the broker's certificate)";
        } else if (all.contains("No subject alternative") || all.contains("No name matching")) {
            reason = "the broker's certificate does not name the host [" + host + "] of the server URI (connect with "
                    + "a name the certificate lists, or give the broker a certificate for this one)";
        } else if (all.contains("certificate_required") || all.contains("bad_certificate")) {
            reason = "the broker wants a client certificate it accepts (Tls.withClientCertificate(...), signed by a "
                    + "CA the broker trusts)";
        } else if (all.contains("Unsupported or unrecognized SSL message")) {
            reason = "the server answered without TLS, so that port does not speak TLS (for a plain port use "
                    + Endpoint.parse(serverUri).plainUri() + ")";
        } else if (all.contains("protocol_version") || all.contains("No appropriate protocol")) {
            reason = "the broker and this client share no TLS version (this client speaks TLS 1.2 and 1.3)";
        } else {
            reason = "the TLS handshake failed (" + tls.getMessage() + ")";
        }
        return new TlsException(serverUri, "Cannot connect to " + serverUri + " over TLS: " + reason + ".", failure);
    }

    /**
     * Describes a TLS connection the server closed during the handshake: the port does not speak TLS (a plain MQTT
     * port ends the connection when it reads a TLS ClientHello).
     *
     * @param failure what connecting threw
     * @param serverUri the broker, {@code ssl://host:port}
     * @return the exception to throw
     */
    public static TlsException notTls(Throwable failure, String serverUri) {
        String plain = Endpoint.parse(serverUri).plainUri();
        return new TlsException(serverUri, "Cannot connect to " + serverUri + " over TLS: the server closed the "
                + "connection during the TLS handshake, so that port probably does not speak TLS (for a plain MQTT "
                + "port use " + plain + "; the broker's TLS port is usually 8883).", failure);
    }

    /**
     * Describes a TLS connection the broker closed after it presented its certificate, when the client presented
     * one too: a broker that does not accept the client's certificate (Mosquitto) just closes the connection, so
     * the client sees a broken pipe or a reset rather than a TLS alert.
     *
     * @param failure what connecting threw
     * @param serverUri the broker, {@code ssl://}
     * @return the exception to throw, or {@code null} when the connection did not end that way
     */
    public static TlsException clientCertificateRefused(Throwable failure, String serverUri) {
        for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause instanceof java.io.EOFException || cause instanceof java.net.SocketException
                    && !(cause instanceof java.net.ConnectException)) {
                return new TlsException(serverUri, "Cannot connect to " + serverUri + " over TLS: the broker closed "
                        + "the connection in the TLS handshake after the client presented its certificate, which is "
                        + "how it refuses a client certificate it does not accept (" + CLIENT_CERTIFICATE_FIX + ").",
                        failure);
            }
        }
        return null;
    }

    /**
     * Describes a TLS handshake the broker ended with an alert about the client's certificate, when the client
     * presented one: depending on timing (TLS 1.3 checks the client's certificate after the client has sent its
     * first data) a broker that does not accept it is seen to close the connection ({@link #clientCertificateRefused})
     * or to send an alert such as {@code unknown_ca}.
     *
     * @param failure what connecting threw
     * @param serverUri the broker, {@code ssl://}
     * @return the exception to throw, or {@code null} when no such alert ended the handshake
     */
    public static TlsException clientCertificateAlert(Throwable failure, String serverUri) {
        for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            java.util.regex.Matcher alert = cause.getMessage() == null ? null
                    : CLIENT_CERTIFICATE_ALERT.matcher(cause.getMessage());
            if (cause instanceof javax.net.ssl.SSLException && alert != null && alert.find()) {
                return new TlsException(serverUri, "Cannot connect to " + serverUri + " over TLS: the broker refused "
                        + "the client's certificate in the TLS handshake (alert " + alert.group(1) + "): "
                        + CLIENT_CERTIFICATE_FIX + ".", failure);
            }
        }
        return null;
    }

    /** What a client certificate the broker refused needs, said in both of the ways a broker refuses it. */
    private static final String CLIENT_CERTIFICATE_FIX = "it must be signed by a CA the broker trusts, and its file "
            + "must hold the whole chain: the client's certificate, then its intermediate CA certificates";

    /** Alerts a server sends about the certificate the client presented. */
    private static final java.util.regex.Pattern CLIENT_CERTIFICATE_ALERT = java.util.regex.Pattern.compile(
            "Received fatal alert: (unknown_ca|bad_certificate|certificate_unknown|unsupported_certificate"
            + "|certificate_revoked|certificate_expired|access_denied)");

    /** The date in the JDK's {@code NotAfter: Wed Dec 02 16:45:00 UTC 2026}, as an ISO instant when it parses. */
    private static String date(String message, String label) {
        String text = message == null ? "" : message.startsWith(label) ? message.substring(label.length()) : message;
        try {
            return new java.text.SimpleDateFormat("EEE MMM dd HH:mm:ss zzz yyyy", java.util.Locale.US).parse(text)
                    .toInstant().toString();
        } catch (java.text.ParseException notTheJdksFormat) {
            return text;
        }
    }
}
