package dev.mqttkit.internal.net;

import dev.mqttkit.Proxy;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Opens the TCP connection to a broker, straight or through a proxy: an HTTP proxy's {@code CONNECT} tunnel, or a
 * SOCKS5 proxy (RFC 1928, with RFC 1929 user name and password). The broker's host name goes to the proxy as
 * written, for the proxy to resolve. A proxy that refuses says so in one sentence with the fix
 * ({@link TransportException}); credentials are never part of a message.
 */
final class ProxyTunnel {

    private static final int SOCKS_VERSION = 5;
    private static final int NO_AUTHENTICATION = 0;
    private static final int USER_PASSWORD = 2;
    private static final int NO_ACCEPTABLE_METHOD = 0xff;

    private ProxyTunnel() {
    }

    /**
     * Connects to {@code target}, through {@code proxy} when there is one.
     *
     * @param target the broker
     * @param proxy the proxy, or {@code null} for a direct connection (the JVM's {@code socksProxyHost} applies)
     * @param deadline {@link System#nanoTime()} by which the connection must be up
     * @return the connected socket: to the broker, or a tunnel to it; its read timeout is left set
     * @throws IOException the socket's own failure (refused, unknown host, timed out) or a {@link TransportException}
     */
    static Socket open(Endpoint target, Proxy proxy, long deadline) throws IOException {
        if (proxy == null) {
            Socket direct = new Socket();
            try {
                direct.connect(new InetSocketAddress(target.host(), target.port()), remaining(deadline));
            } catch (IOException e) {
                direct.close();
                throw e;
            }
            return direct;
        }
        InetSocketAddress address = new InetSocketAddress(proxy.host(), proxy.port());
        if (address.isUnresolved()) {
            throw new TransportException("unknown proxy host [" + proxy.host() + "]; check the host given to Proxy."
                    + (proxy.type() == Proxy.Type.HTTP ? "http" : "socks5") + "(...)", null);
        }
        Socket socket = new Socket(java.net.Proxy.NO_PROXY);
        try {
            try {
                socket.connect(address, remaining(deadline));
            } catch (ConnectException e) {
                throw new TransportException("cannot reach the " + proxy + ": connection refused (is the proxy "
                        + "listening there?)", e);
            } catch (SocketTimeoutException e) {
                throw new TransportException("timed out reaching the " + proxy, e);
            }
            socket.setSoTimeout(remaining(deadline));
            if (proxy.type() == Proxy.Type.HTTP) {
                httpConnect(socket, target, proxy);
            } else {
                socks5Connect(socket, target, proxy);
            }
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Milliseconds until the deadline, at least 1; a passed deadline is a timeout. */
    static int remaining(long deadline) throws SocketTimeoutException {
        long millis = (deadline - System.nanoTime()) / 1_000_000;
        if (millis <= 0) {
            throw new SocketTimeoutException("Connect timed out");
        }
        return (int) Math.min(Integer.MAX_VALUE, millis);
    }

    private static void httpConnect(Socket socket, Endpoint target, Proxy proxy) throws IOException {
        String hostPort = target.hostPort();
        StringBuilder request = new StringBuilder()
                .append("CONNECT ").append(hostPort).append(" HTTP/1.1\r\n")
                .append("Host: ").append(hostPort).append("\r\n");
        if (proxy.user() != null) {
            String credentials = proxy.user() + ":" + proxy.password();
            request.append("Proxy-Authorization: Basic ")
                    .append(Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                    .append("\r\n");
        }
        request.append("\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        HttpResponseHead head;
        try {
            head = HttpResponseHead.read(socket.getInputStream());
        } catch (HttpResponseHead.NotHttpException e) {
            throw new TransportException("the " + proxy + " did not answer CONNECT in HTTP ("
                    + (e.start().length == 0 ? "the connection closed" : "its answer began with " + e.startHex())
                    + "): is it an HTTP proxy? (a SOCKS proxy takes Proxy.socks5(host, port))", e);
        } catch (SocketTimeoutException e) {
            throw new TransportException("the " + proxy + " did not answer CONNECT in time", e);
        }
        if (head.status() / 100 == 2) {
            return;
        }
        if (head.status() == 407 || head.status() == 401) { // tinyproxy answers a wrong password with 401
            throw new TransportException(proxy.user() == null
                    ? "the " + proxy + " needs credentials (" + head.statusText() + "): add them with "
                            + "Proxy.http(host, port).withCredentials(user, password)"
                    : "the " + proxy + " refused the credentials (" + head.statusText() + "): check the user name "
                            + "and password", null);
        }
        throw new TransportException("the " + proxy + " refused to open a tunnel to " + hostPort + " ("
                + head.statusText() + "): its rules must allow CONNECT to port " + target.port()
                + " (tinyproxy: ConnectPort; Squid: http_access and SSL_ports)", null);
    }

    private static void socks5Connect(Socket socket, Endpoint target, Proxy proxy) throws IOException {
        OutputStream out = socket.getOutputStream();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        boolean credentials = proxy.user() != null;
        out.write(credentials ? new byte[] {SOCKS_VERSION, 2, NO_AUTHENTICATION, USER_PASSWORD}
                : new byte[] {SOCKS_VERSION, 1, NO_AUTHENTICATION});
        out.flush();
        int version;
        int method;
        try {
            version = in.readUnsignedByte();
            method = in.readUnsignedByte();
        } catch (EOFException | java.net.SocketException e) {
            throw new TransportException("the " + proxy + " closed the connection at the SOCKS5 greeting: is it a "
                    + "SOCKS5 proxy? (an HTTP proxy takes Proxy.http(host, port))", e);
        } catch (SocketTimeoutException e) {
            throw new TransportException("the " + proxy + " did not answer the SOCKS5 greeting in time: is it a "
                    + "SOCKS5 proxy? (an HTTP proxy takes Proxy.http(host, port))", e);
        }
        if (version != SOCKS_VERSION) {
            throw new TransportException("the " + proxy + " answered the SOCKS5 greeting with version " + version
                    + ": is it a SOCKS5 proxy? (an HTTP proxy takes Proxy.http(host, port))", null);
        }
        if (method == NO_ACCEPTABLE_METHOD || method == USER_PASSWORD && !credentials) {
            throw new TransportException(credentials
                    ? "the " + proxy + " accepts neither no authentication nor a user name and password"
                    : "the " + proxy + " needs credentials: add them with Proxy.socks5(host, port)"
                            + ".withCredentials(user, password)", null);
        }
        if (method == USER_PASSWORD) {
            byte[] user = proxy.user().getBytes(StandardCharsets.UTF_8);
            byte[] password = proxy.password().getBytes(StandardCharsets.UTF_8);
            byte[] request = new byte[3 + user.length + password.length];
            request[0] = 1;
            request[1] = (byte) user.length;
            System.arraycopy(user, 0, request, 2, user.length);
            request[2 + user.length] = (byte) password.length;
            System.arraycopy(password, 0, request, 3 + user.length, password.length);
            out.write(request);
            out.flush();
            in.readUnsignedByte();
            if (in.readUnsignedByte() != 0) {
                throw new TransportException("the " + proxy + " refused the credentials: check the user name and "
                        + "password", null);
            }
        } else if (method != NO_AUTHENTICATION) {
            throw new TransportException("the " + proxy + " chose SOCKS5 authentication method " + method
                    + ", which mqttkit does not speak (it speaks none, and user name and password)", null);
        }
        out.write(connectRequest(target));
        out.flush();
        int replyVersion = in.readUnsignedByte();
        int reply = in.readUnsignedByte();
        in.readUnsignedByte(); // reserved
        int addressType = in.readUnsignedByte();
        if (replyVersion != SOCKS_VERSION) {
            throw new TransportException("the " + proxy + " answered CONNECT with SOCKS version " + replyVersion, null);
        }
        if (reply != 0) {
            throw new TransportException("the " + proxy + " could not open a connection to " + target.hostPort()
                    + ": " + socksReply(reply), null);
        }
        int addressLength = switch (addressType) {
            case 1 -> 4;
            case 4 -> 16;
            case 3 -> in.readUnsignedByte();
            default -> throw new TransportException("the " + proxy + " answered CONNECT with address type "
                    + addressType + ", which SOCKS5 does not have", null);
        };
        in.readFully(new byte[addressLength + 2]); // the proxy's bound address and port
    }

    /** CONNECT to the host as written: an IP address as such, a name for the proxy to resolve. */
    private static byte[] connectRequest(Endpoint target) throws IOException {
        String host = target.host();
        byte[] address;
        int type;
        if (host.matches("\\d{1,3}(\\.\\d{1,3}){3}") || host.indexOf(':') >= 0) {
            address = InetAddress.getByName(host).getAddress(); // a literal: no lookup
            type = address.length == 4 ? 1 : 4;
        } else {
            byte[] name = host.getBytes(StandardCharsets.US_ASCII);
            if (name.length > 255) {
                throw new TransportException("the host name [" + host + "] is longer than SOCKS5 allows (255 bytes)",
                        null);
            }
            address = new byte[1 + name.length];
            address[0] = (byte) name.length;
            System.arraycopy(name, 0, address, 1, name.length);
            type = 3;
        }
        byte[] request = new byte[4 + address.length + 2];
        request[0] = SOCKS_VERSION;
        request[1] = 1; // CONNECT
        request[3] = (byte) type;
        System.arraycopy(address, 0, request, 4, address.length);
        request[request.length - 2] = (byte) (target.port() >> 8);
        request[request.length - 1] = (byte) target.port();
        return request;
    }

    static String socksReply(int code) {
        return switch (code) {
            case 1 -> "general SOCKS server failure (reply 1)";
            case 2 -> "its rules do not allow the connection (reply 2)";
            case 3 -> "network unreachable (reply 3)";
            case 4 -> "host unreachable (reply 4)";
            case 5 -> "connection refused (reply 5; is a broker listening there?)";
            case 6 -> "TTL expired (reply 6)";
            case 7 -> "command not supported (reply 7)";
            case 8 -> "address type not supported (reply 8)";
            default -> "reply " + code;
        };
    }
}
