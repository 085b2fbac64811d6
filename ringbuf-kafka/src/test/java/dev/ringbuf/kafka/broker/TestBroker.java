package dev.ringbuf.kafka.broker;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * One in-process Apache Kafka node in KRaft mode (broker and controller combined), for tests: bound to 127.0.0.1
 * only, on two ports picked free at creation, with its data in a temporary directory that {@link #close()} deletes.
 *
 * <p>{@link #stop()} shuts the node down (clean shutdown: its log is flushed) and {@link #start()} starts a new
 * server on the same ports and the same data, so that clients reconnect to the address they know: a real restart.
 *
 * <p>Why not {@code KafkaClusterTestKit}: in Kafka 4.3 it pre-binds its listeners on the wildcard address, and the
 * tests of this project bind loopback only. The ports are picked by binding 127.0.0.1:0 and closing the socket;
 * another process could take one in between (a race no test has met on loopback).
 *
 * <pre>{@code
 * try (TestBroker broker = TestBroker.start()) {           // one per test class (@BeforeAll / @AfterAll)
 *     broker.createTopic("events", 2);
 *     ... broker.bootstrapServers() ...
 *     broker.stop(); ... broker.start();                     // Kafka down, then back
 * }
 * }</pre>
 */
public final class TestBroker implements AutoCloseable {

    private static final String LOOPBACK = "127.0.0.1";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Path directory;
    private final int brokerPort;
    private final int controllerPort;
    private final Map<String, Object> config;
    private KafkaRaftServer server;

    private TestBroker(Path directory, int brokerPort, int controllerPort) {
        this.directory = directory;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        this.config = config(directory.resolve("data").toString(), brokerPort, controllerPort);
    }

    /**
     * Formats a new node's storage and starts it; returns once it serves clients.
     *
     * @return the running broker
     * @throws Exception if it cannot start
     */
    public static TestBroker start() throws Exception {
        final TestBroker broker = new TestBroker(Files.createTempDirectory("ringbuf-kafka-broker"), freePort(),
                freePort());
        try {
            broker.format();
            broker.startServer();
            return broker;
        } catch (Exception | Error e) {
            broker.close();
            throw e;
        }
    }

    /** The {@code bootstrap.servers} of this broker: {@code 127.0.0.1:port}. */
    public String bootstrapServers() {
        return LOOPBACK + ":" + brokerPort;
    }

    /**
     * Creates a topic with replication factor 1.
     *
     * @param name the topic
     * @param partitions its partition count
     * @throws Exception if Kafka refuses it
     */
    public void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * A new admin client for this broker; the caller closes it.
     *
     * @return the admin client
     */
    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
    }

    /**
     * Whether the node runs (between {@link #stop()} and {@link #restart()} it does not).
     *
     * @return true while it runs
     */
    public synchronized boolean isRunning() {
        return server != null;
    }

    /** Shuts the node down (clean shutdown) and waits until it has; its ports are closed afterwards. */
    public synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    /**
     * Starts the node again on the same ports and data, after {@link #stop()}; returns once it serves clients.
     *
     * @throws Exception if it cannot start
     */
    public synchronized void restart() throws Exception {
        if (server != null) {
            throw new IllegalStateException("broker on " + bootstrapServers() + " is running: stop() it first");
        }
        startServer();
    }

    /** Stops the node and deletes its data. */
    @Override
    public synchronized void close() {
        try {
            stop();
        } finally {
            deleteRecursively(directory);
        }
    }

    private synchronized void startServer() throws Exception {
        final KafkaRaftServer started = new KafkaRaftServer(new KafkaConfig(config, false), Time.SYSTEM);
        server = started;
        started.startup();
        awaitReady();
    }

    private void format() throws Exception {
        final String data = config.get("log.dirs").toString();
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(1)
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(List.of(data))
                .setMetadataLogDirectory(data)
                .setControllerListenerName("CONTROLLER")
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .run();
    }

    /** Waits until the broker answers a metadata request and lists itself; bounded by {@link #READY_TIMEOUT}. */
    private void awaitReady() throws Exception {
        final long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = admin()) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("broker on " + bootstrapServers() + " not ready after "
                                + READY_TIMEOUT, e);
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("broker on " + bootstrapServers() + " lists no node after "
                            + READY_TIMEOUT);
                }
            }
        }
    }

    private static Map<String, Object> config(String data, int brokerPort, int controllerPort) {
        final Map<String, Object> props = new HashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("listeners", "PLAINTEXT://" + LOOPBACK + ":" + brokerPort + ",CONTROLLER://" + LOOPBACK + ":"
                + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://" + LOOPBACK + ":" + brokerPort);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("controller.quorum.voters", "1@" + LOOPBACK + ":" + controllerPort);
        props.put("log.dirs", data);
        props.put("metadata.log.dir", data);
        // One node: every internal topic has one replica, and small ones start faster.
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        props.put("num.partitions", "1");
        props.put("num.network.threads", "2");
        props.put("num.io.threads", "2");
        props.put("log.cleaner.dedupe.buffer.size", "2097152");
        props.put("controlled.shutdown.enable", "true");
        return props;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0));
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete broker data in " + root, e);
        }
    }

    /** For tests that list what is bound: the two ports this node listens on. */
    Set<Integer> ports() {
        return Set.of(brokerPort, controllerPort);
    }
}
