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
        StringBuilder messages = new StringBuilder();
        for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
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
        if (all.contains("PKIX path") || all.contains("unable to find valid certification path")) {
            reason = "the broker's certificate is not signed by a CA this client trusts (check Tls.trusting(...): "
                    + "it must be the CA that signed the broker's certificate)";
        } else if (all.contains("No subject alternative") || all.contains("No name matching")) {
            reason = "the broker's certificate does not name the host [" + host + "] of the server URI (connect with "
                    + "a name the certificate lists, or give the broker a certificate for this one)";
        } else if (all.contains("certificate_required") || all.contains("bad_certificate")) {
            reason = "the broker wants a client certificate it accepts (Tls.withClientCertificate(...), signed by a "
                    + "CA the broker trusts)";
        } else if (all.contains("protocol_version") || all.contains("No appropriate protocol")) {
            reason = "the broker and this client share no TLS version (this client speaks TLS 1.2 and 1.3)";
        } else {
            reason = "the TLS handshake failed (" + tls.getMessage() + ")";
        }
        return new TlsException(serverUri, "Cannot connect to " + serverUri + " over TLS: " + reason + ".", failure);
    }
}
