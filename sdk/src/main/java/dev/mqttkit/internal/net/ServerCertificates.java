package dev.mqttkit.internal.net;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Notes on which TLS sockets the server presented a certificate, by watching the trust manager: a server that ends
 * the connection during the handshake before that does not speak TLS on that port, one that ends it after that
 * (when the client presented its own certificate) refused the client's certificate. Mosquitto does both without a
 * TLS alert, so the client sees the same broken pipe or reset either way.
 */
final class ServerCertificates {

    private static final Map<Socket, Boolean> PRESENTED = Collections.synchronizedMap(new WeakHashMap<>());

    private ServerCertificates() {
    }

    /** Wraps trust managers so that they note the sockets whose server presented a certificate. */
    static TrustManager[] watched(TrustManager[] managers) {
        TrustManager[] watched = managers.clone();
        for (int i = 0; i < watched.length; i++) {
            if (watched[i] instanceof X509TrustManager trust) {
                watched[i] = new Watching(trust);
            }
        }
        return watched;
    }

    /** Whether the server presented a certificate on this TLS socket. */
    static boolean presented(Socket socket) {
        return PRESENTED.containsKey(socket);
    }

    private static final class Watching extends X509ExtendedTrustManager {
        private final X509TrustManager delegate;

        Watching(X509TrustManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            PRESENTED.put(socket, Boolean.TRUE);
            if (delegate instanceof X509ExtendedTrustManager extended) {
                extended.checkServerTrusted(chain, authType, socket);
            } else {
                delegate.checkServerTrusted(chain, authType);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            if (delegate instanceof X509ExtendedTrustManager extended) {
                extended.checkServerTrusted(chain, authType, engine);
            } else {
                delegate.checkServerTrusted(chain, authType);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}
