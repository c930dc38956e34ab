package dev.chathistory.local;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Creates the JDK HTTP servers of the local stack and its benchmarks, every one with
 * TCP_NODELAY. Without it the server's separate header and body writes meet the client's delayed
 * ACK and every exchange waits about 40 ms. The JDK reads the switch once, when the first server
 * of the process is created, so every server must be created here: one created elsewhere first
 * (a stand-in Runtime API, say) would leave every later one slow.
 */
public final class LoopbackHttpServers {

    private static final String NODELAY = "sun.net.httpserver.nodelay";

    private LoopbackHttpServers() {
    }

    /** An unstarted server bound to {@code address}; {@code backlog} 0 takes the system default. */
    public static HttpServer create(InetSocketAddress address, int backlog) throws IOException {
        if (System.getProperty(NODELAY) == null) {
            System.setProperty(NODELAY, "true");
        }
        return HttpServer.create(address, backlog);
    }
}
