package dev.tollgate.server;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * People's login settings, {@code tollgate.identity.*}.
 *
 * @param stepUp how recent a person's second factor must be for an approval or a change of policy, trust, users or
 *     tokens
 * @param sessionAbsolute how long a browser session lives at most, however active (the idle timeout is the servlet
 *     container's {@code server.servlet.session.timeout})
 * @param maxFailures failed logins (password or code) after which an account is locked
 * @param lockout how long a locked account stays locked
 * @param addressFailures failed logins from one address within {@link #addressWindow} after which that address is
 *     refused
 * @param argon2MemoryKib Argon2id memory cost, KiB
 * @param argon2Iterations Argon2id time cost
 */
@ConfigurationProperties("tollgate.identity")
public record IdentitySettings(
        @DefaultValue("5m") Duration stepUp,
        @DefaultValue("12h") Duration sessionAbsolute,
        @DefaultValue("5") int maxFailures,
        @DefaultValue("15m") Duration lockout,
        @DefaultValue("30") int addressFailures,
        @DefaultValue("15m") Duration addressWindow,
        @DefaultValue("32768") int argon2MemoryKib,
        @DefaultValue("3") int argon2Iterations) {

    public IdentitySettings {
        if (maxFailures < 1 || addressFailures < 1) {
            throw new IllegalArgumentException("tollgate.identity failure limits must be at least 1");
        }
        if (argon2MemoryKib < 8192 || argon2Iterations < 1) {
            throw new IllegalArgumentException("tollgate.identity Argon2id: at least 8192 KiB and one iteration");
        }
    }
}
