package dev.mapretention.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mapretention.micrometer.MapRetentionMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * {@code --serve PORT}: the agent's gauges ({@link MapRetentionMetrics}) in Prometheus's text
 * format at {@code http://127.0.0.1:PORT/metrics}, on the JDK's own HTTP server, bound to the
 * loopback address only.
 */
final class MetricsEndpoint implements AutoCloseable {

    private final PrometheusMeterRegistry registry;
    private final MapRetentionMetrics metrics;
    private final HttpServer server;

    private MetricsEndpoint(PrometheusMeterRegistry registry, MapRetentionMetrics metrics, HttpServer server) {
        this.registry = registry;
        this.metrics = metrics;
        this.server = server;
    }

    /** Binds the gauges and starts serving; port 0 picks a free port. */
    static MetricsEndpoint start(int port) throws IOException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MapRetentionMetrics metrics = new MapRetentionMetrics();
        metrics.bindTo(registry);
        InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        HttpServer server = HttpServer.create(new InetSocketAddress(loopback, port), 0);
        server.createContext("/metrics", exchange -> scrape(registry, exchange));
        server.start();
        return new MetricsEndpoint(registry, metrics, server);
    }

    private static void scrape(PrometheusMeterRegistry registry, HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Where the metrics are served. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/metrics";
    }

    /** The {@code map.retention.wasted} gauge now. */
    double wastedBytes() {
        return registry.get("map.retention.wasted").gauge().value();
    }

    @Override
    public void close() {
        server.stop(0);
        metrics.close();
        registry.close();
    }
}
