package dev.tollgate.server;

import jakarta.servlet.MultipartConfigElement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.apache.tomcat.util.buf.EncodedSolidusHandling;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.multipart.support.StandardServletMultipartResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Spring MVC: the permission check on every route, and multipart uploads streamed by the container to disk beside the
 * blob store (never held in memory) and parsed only when the controller asks, after it has checked the announced size
 * against the product's limit and the free space.
 */
@Configuration
class WebConfiguration implements WebMvcConfigurer {

    /** Parts up to this size (the version field) stay in memory; a file part goes to disk as it arrives. */
    private static final int IN_MEMORY_PART_BYTES = 64 << 10;

    private final ServerSettings settings;
    private final IdentitySettings identity;
    private final Clock clock;

    WebConfiguration(ServerSettings settings, IdentitySettings identity, Clock clock) {
        this.settings = settings;
        this.identity = identity;
        this.clock = clock;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new PermissionInterceptor(settings, identity, clock));
    }

    @Bean
    MultipartConfigElement multipartConfigElement() throws IOException {
        Path spool = Files.createDirectories(
                settings.dataDirectory().resolve("blobs").resolve("incoming"));
        long max = settings.maxUpload().toBytes();
        return new MultipartConfigElement(spool.toString(), max, max + (1 << 20), IN_MEMORY_PART_BYTES);
    }

    /**
     * An encoded slash ({@code %2F}) reaches Spring Security's firewall, which refuses it with a problem, instead of
     * Tomcat refusing it with an HTML page.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> encodedSlashesToTheFirewall() {
        return factory -> factory.addConnectorCustomizers(
                connector -> connector.setEncodedSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue()));
    }

    @Bean
    StandardServletMultipartResolver multipartResolver() {
        StandardServletMultipartResolver resolver = new StandardServletMultipartResolver();
        resolver.setResolveLazily(true);
        return resolver;
    }
}
