package dev.tollgate.server;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Tollgate server in this JVM on a random port, as {@code ./tollgate serve} starts it: several may run at once (two
 * nodes on one database) and one may be stopped and started again on the same data (a restart).
 */
final class TestServer implements AutoCloseable {

    static final String ADMIN_TOKEN = "tg_contract_tests_admin_token_0123456789";

    private final ConfigurableApplicationContext context;
    final Http http;
    final TestClock clock;
    final String base;

    private TestServer(ConfigurableApplicationContext context, TestClock clock) {
        this.context = context;
        this.clock = clock;
        int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
        this.base = "http://127.0.0.1:" + port;
        this.http = new Http(base);
    }

    /** A server on {@code data} and {@code database}, with {@code extra} properties over the test defaults. */
    static TestServer start(Path data, TestDatabase database, Map<String, Object> extra) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("server.port", 0);
        properties.put("tollgate.data", data.toString());
        properties.put("tollgate.database-url", database.url());
        properties.put("tollgate.poll", "100ms");
        properties.put("tollgate.lease", "10s");
        properties.put("tollgate.retry-backoff", "200ms");
        properties.put("tollgate.shutdown-grace", "5s");
        properties.put("tollgate.engine-threads", 1);
        properties.put("tollgate.blob-reserve", "1MB");
        properties.put("TOLLGATE_BOOTSTRAP_TOKEN", ADMIN_TOKEN);
        properties.put("spring.lifecycle.timeout-per-shutdown-phase", "10s");
        properties.put("logging.level.dev.tollgate", "INFO");
        properties.putAll(extra);
        // as command-line arguments, which win over application.properties (default properties would not)
        String[] args = properties.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        TestClock clock = new TestClock();
        ConfigurableApplicationContext context = new SpringApplicationBuilder(TollgateServer.class)
                .initializers(c -> c.getBeanFactory().registerSingleton("clock", clock))
                .run(args);
        return new TestServer(context, clock);
    }

    static TestServer start(Path data, TestDatabase database) {
        return start(data, database, Map.of());
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
