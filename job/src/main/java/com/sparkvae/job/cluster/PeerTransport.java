package com.sparkvae.job.cluster;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.network.TransportContext;
import org.apache.spark.network.client.RpcResponseCallback;
import org.apache.spark.network.client.TransportClient;
import org.apache.spark.network.client.TransportClientBootstrap;
import org.apache.spark.network.client.TransportClientFactory;
import org.apache.spark.network.crypto.AuthClientBootstrap;
import org.apache.spark.network.crypto.AuthServerBootstrap;
import org.apache.spark.network.server.OneForOneStreamManager;
import org.apache.spark.network.server.RpcHandler;
import org.apache.spark.network.server.StreamManager;
import org.apache.spark.network.server.TransportServer;
import org.apache.spark.network.server.TransportServerBootstrap;
import org.apache.spark.network.util.MapConfigProvider;
import org.apache.spark.network.util.TransportConf;
import scala.Tuple2;

/**
 * This executor JVM's end of the span stages' exchanges between JVMs ({@link PeerExchange}): one server and one
 * client factory of Spark's own network transport (spark-network-common, as the block manager and Spark's RPC use
 * it), started on first use and kept for the JVM's life, so connections outlive spans. Spark frames the messages,
 * acknowledges them, reports broken connections and, when {@code spark.authenticate} is on, authenticates (and with
 * {@code spark.network.crypto.enabled} encrypts) with the application's secret, as its other endpoints do.
 *
 * <p>A message names the stage attempt and the JVM it is for; the server hands it to that attempt's exchange in
 * this JVM. One that arrives before the exchange is registered (its task has not started yet) is answered
 * {@linkplain #notYet "not yet"}, and the sender sends it again.
 */
final class PeerTransport {
    private static final String MODULE = "sparkvae";
    private static final Map<String, PeerExchange> EXCHANGES = new ConcurrentHashMap<>();
    private static PeerTransport instance;

    private final TransportContext context;
    private final TransportServer server;
    private final TransportClientFactory clients;
    private final String security;

    private PeerTransport(String host) {
        SparkEnv env = SparkEnv.get();
        SparkConf spark = env.conf();
        Map<String, String> settings = new HashMap<>();
        settings.put("spark." + MODULE + ".io.serverThreads", "2");
        settings.put("spark." + MODULE + ".io.clientThreads", "2");
        settings.put("spark." + MODULE + ".io.numConnectionsPerPeer", "1");
        for (Tuple2<String, String> kv : spark.getAll()) {
            if (kv._1().startsWith("spark.authenticate") || kv._1().startsWith("spark.network.crypto.")) {
                settings.put(kv._1(), kv._2());
            }
        }
        TransportConf conf = new TransportConf(MODULE, new MapConfigProvider(settings));
        boolean authenticate = spark.getBoolean("spark.authenticate", false);
        List<TransportServerBootstrap> serverBootstraps = authenticate
                ? List.of(new AuthServerBootstrap(conf, env.securityManager())) : List.of();
        List<TransportClientBootstrap> clientBootstraps = authenticate
                ? List.of(new AuthClientBootstrap(conf, spark.getAppId(), env.securityManager())) : List.of();
        this.context = new TransportContext(conf, new Dispatcher(), false);
        this.server = context.createServer(host, 0, serverBootstraps);
        this.clients = context.createClientFactory(clientBootstraps);
        this.security = !authenticate ? "port " + port() + ", no authentication"
                : "port " + port() + ", authenticated" + (conf.encryptionEnabled() ? " and encrypted" : "");
    }

    /** This JVM's transport, its server bound to {@code host} (the executor's) when first asked. */
    static synchronized PeerTransport get(String host) {
        if (instance == null) {
            instance = new PeerTransport(host);
        }
        return instance;
    }

    int port() {
        return server.getPort();
    }

    /** The server's port and what the transport does for security, for the executor's log. */
    String security() {
        return security;
    }

    TransportClient connect(String host, int port) {
        try {
            return clients.createClient(host, port);
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the span's peer at " + host + ":" + port, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to " + host + ":" + port, e);
        }
    }

    static void register(PeerExchange exchange) {
        EXCHANGES.put(exchange.name(), exchange);
    }

    static void unregister(PeerExchange exchange) {
        EXCHANGES.remove(exchange.name(), exchange);
    }

    /** Whether a message's answer says its exchange is not registered yet (an acknowledgement is empty). */
    static boolean notYet(ByteBuffer response) {
        return response.remaining() > 0;
    }

    /** The header's first field: the stage attempt's key, as a short length and UTF-8 bytes. */
    static void putKey(ByteBuffer b, String key) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        b.putShort((short) bytes.length).put(bytes);
    }

    static int keyBytes(String key) {
        return 2 + key.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String takeKey(ByteBuffer b) {
        byte[] bytes = new byte[b.getShort()];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Hands each message to its stage attempt's exchange in this JVM, or answers "not yet". */
    private static final class Dispatcher extends RpcHandler {
        private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
        private static final byte[] NOT_YET = {1};
        private final StreamManager streams = new OneForOneStreamManager();

        @Override
        public void receive(TransportClient client, ByteBuffer message, RpcResponseCallback callback) {
            ByteBuffer b = message.order(java.nio.ByteOrder.LITTLE_ENDIAN);
            String key = takeKey(b);
            PeerExchange exchange = EXCHANGES.get(PeerExchange.name(key, b.getInt()));
            if (exchange == null) {
                callback.onSuccess(ByteBuffer.wrap(NOT_YET));
                return;
            }
            exchange.received(b);
            callback.onSuccess(EMPTY.duplicate());
        }

        @Override
        public StreamManager getStreamManager() {
            return streams;
        }
    }
}
