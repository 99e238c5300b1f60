package io.tidemark.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on localhost in front of a real server (PostgreSQL), for the failures a network
 * makes that a test cannot get from the server itself:
 * <ul>
 * <li>{@link #blackhole} — connections stay open but nothing goes through either way, and new
 *     connections are accepted and then hear nothing, as when packets are dropped;</li>
 * <li>{@link #dropAfterNext} — the next time the client sends the given text (e.g. {@code COMMIT}),
 *     it is delivered to the server, and then the connection is cut before the server's answer
 *     comes back: the client cannot know whether the command took effect;</li>
 * <li>{@link #cutAll} — every open connection is closed at once.</li>
 * </ul>
 * With PgJDBC, use {@code prepareThreshold=0} in the URL so that every statement is sent as text.
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicBoolean blackholed = new AtomicBoolean();
    private volatile byte[] dropTrigger;
    private final AtomicInteger drops = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean closed;

    private TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "tcp-proxy-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy to {@code host:port}, listening on an ephemeral port of the loopback address. */
    public static TcpProxy to(String host, int port) {
        try {
            return new TcpProxy(host, port);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a proxy port: " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    public String host() {
        return server.getInetAddress().getHostAddress();
    }

    /** Stops (true) or restores (false) all traffic, keeping connections open. */
    public void blackhole(boolean on) {
        blackholed.set(on);
    }

    /**
     * Arms a one-shot cut: the next chunk the client sends that contains {@code text} is delivered
     * to the server, then the connection is closed before the server's answer is passed back.
     */
    public void dropAfterNext(String text) {
        dropTrigger = text.getBytes(StandardCharsets.US_ASCII);
    }

    /** How many connections a {@link #dropAfterNext} trigger has cut. */
    public int drops() {
        return drops.get();
    }

    /** Connections accepted so far. */
    public int accepted() {
        return accepted.get();
    }

    /** Closes every open connection through the proxy. */
    public void cutAll() {
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        sockets.clear();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                accepted.incrementAndGet();
                sockets.add(client);
                Thread t = new Thread(() -> connect(client), "tcp-proxy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!closed) {
                    sleep(10);
                }
            }
        }
    }

    private void connect(Socket client) {
        Socket upstream = new Socket();
        try {
            upstream.connect(new InetSocketAddress(targetHost, targetPort), 5_000);
        } catch (IOException e) {
            closeQuietly(client);
            return;
        }
        sockets.add(upstream);
        AtomicBoolean cut = new AtomicBoolean(); // set once the trigger was sent: no answer goes back
        Thread toServer = new Thread(() -> pump(client, upstream, true, cut), "tcp-proxy-up");
        Thread toClient = new Thread(() -> pump(upstream, client, false, cut), "tcp-proxy-down");
        toServer.setDaemon(true);
        toClient.setDaemon(true);
        toServer.start();
        toClient.start();
    }

    private void pump(Socket from, Socket to, boolean clientToServer, AtomicBoolean cut) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                while (blackholed.get() && !closed && !from.isClosed()) {
                    sleep(20); // hold the data: neither delivered nor refused
                }
                if (cut.get()) {
                    return; // the answer to the trigger: dropped
                }
                byte[] trigger = dropTrigger;
                boolean cutNow = clientToServer && trigger != null && contains(buffer, n, trigger);
                if (cutNow) {
                    dropTrigger = null;
                    cut.set(true);
                }
                out.write(buffer, 0, n);
                out.flush();
                if (cutNow) {
                    drops.incrementAndGet();
                    sleep(300); // let the server act on it; its answer never comes back
                    return;
                }
            }
        } catch (IOException e) {
            // one side closed: close the other
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static boolean contains(byte[] data, int length, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly0();
        cutAll();
    }

    private void closeQuietly0() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
