package dev.tollgate.server;

import java.util.Optional;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * First start: an admin API token when none works (DESIGN.md, "Running it"). With {@code TOLLGATE_BOOTSTRAP_TOKEN} it
 * has exactly that value; without, a random one is printed once on stderr, and never logged.
 */
@Component
final class BootstrapToken implements ApplicationRunner {

    private final ApiTokens tokens;
    private final Environment environment;
    private final ServerSettings settings;

    BootstrapToken(ApiTokens tokens, Environment environment, ServerSettings settings) {
        this.tokens = tokens;
        this.environment = environment;
        this.settings = settings;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!settings.servesApi()) {
            return;
        }
        Optional<String> configured = Optional.ofNullable(environment.getProperty("TOLLGATE_BOOTSTRAP_TOKEN"))
                .map(String::strip)
                .filter(t -> !t.isEmpty());
        tokens.bootstrap(configured)
                .ifPresent(token -> System.err.println(
                        "tollgate: no admin API token existed, so one was made. It is shown this once; keep it safe:\n"
                                + "tollgate: bootstrap admin token: " + token));
    }
}
