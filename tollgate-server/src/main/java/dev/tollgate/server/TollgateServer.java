package dev.tollgate.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;

/**
 * The Tollgate server (DESIGN.md, "Server contracts"): release intake API and analysis workers, started by
 * {@code ./tollgate serve}.
 */
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class) // API tokens only: no default user
@EnableConfigurationProperties({ServerSettings.class, IdentitySettings.class})
public class TollgateServer {

    public static void main(String[] args) {
        SpringApplication.run(TollgateServer.class, args);
    }
}
