package dev.mqttkit.internal.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.util.Arrays;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;

/** The TLS socket factory: TLS 1.2 and 1.3 only, framed sockets, and the plain one for tcp://. */
class ClientSslSocketFactoryTest {

    @Test
    void forUri_ssl_makesFramedTlsSocketsWithTls12And13Only() throws Exception {
        SSLSocketFactory jvm = SSLContext.getDefault().getSocketFactory();
        SocketFactory factory = SocketFactories.forUri("ssl://127.0.0.1:8883", jvm, true,
                InboundHooks.of(new TopicAliases()));

        assertThat(factory).isInstanceOf(ClientSslSocketFactory.class);
        ClientSslSocketFactory tls = (ClientSslSocketFactory) factory;
        assertThat(tls.getDefaultCipherSuites()).isEqualTo(jvm.getDefaultCipherSuites());
        try (Socket socket = factory.createSocket()) {
            assertThat(socket).isInstanceOf(FramedSocket.class);
            assertThat(SocketFactories.lastSocket(factory)).isSameAs(socket);
            SSLSocket ssl = (SSLSocket) ((FramedSocket) socket).unwrap();
            assertThat(ssl.getEnabledProtocols()).containsOnly("TLSv1.3", "TLSv1.2");
            assertThat(Arrays.asList(socket instanceof SSLSocket s ? s.getEnabledProtocols() : null))
                    .containsOnly("TLSv1.3", "TLSv1.2");
            assertThat(socket.getTcpNoDelay()).isTrue();
        }
    }

    @Test
    void forUri_sslWithoutAFactory_usesTheJvmDefault() throws Exception {
        SocketFactory factory = SocketFactories.forUri("ssl://127.0.0.1:8883", null, false,
                InboundHooks.of(new TopicAliases()));

        assertThat(factory).isInstanceOf(ClientSslSocketFactory.class);
        try (Socket socket = factory.createSocket()) {
            assertThat(socket.getTcpNoDelay()).isFalse();
        }
    }

    @Test
    void forUri_tcp_makesFramedPlainSockets() throws Exception {
        SocketFactory factory = SocketFactories.forUri("tcp://127.0.0.1:1883", null, true,
                InboundHooks.of(new TopicAliases()));

        assertThat(factory).isInstanceOf(ClientSocketFactory.class);
        assertThat(SocketFactories.lastSocket(factory)).isNull();
        try (Socket socket = factory.createSocket()) {
            assertThat(socket).isInstanceOf(FramedSocket.class);
            assertThat(((FramedSocket) socket).unwrap()).isNotInstanceOf(SSLSocket.class);
        }
    }
}
