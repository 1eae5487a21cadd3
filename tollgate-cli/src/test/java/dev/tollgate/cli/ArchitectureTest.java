package dev.tollgate.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The module graph of the engine and the CLI (tollgate-engine/README.md): each module's package may use only the
 * packages listed for it, so dependencies point one way, from parsers and records up to the applications; and no
 * engine-side class knows HTTP or SQL. The server's own rules are in tollgate-server's architecture test.
 */
class ArchitectureTest {

    /** Each module's package and the other Tollgate packages it may use. */
    static final Map<String, Set<String>> ALLOWED = new LinkedHashMap<>();

    static {
        ALLOWED.put("model", Set.of());
        ALLOWED.put("formats", Set.of());
        ALLOWED.put("analysis", Set.of("model", "formats"));
        ALLOWED.put("signatures", Set.of("model", "formats"));
        ALLOWED.put("policy", Set.of("model", "formats"));
        ALLOWED.put("diff", Set.of("model"));
        ALLOWED.put("report", Set.of("model"));
        ALLOWED.put("engine", Set.of("model", "formats", "analysis", "signatures", "policy", "diff", "report"));
        ALLOWED.put("yara", Set.of("model", "formats", "analysis"));
        ALLOWED.put("intel", Set.of("model", "formats", "analysis"));
        ALLOWED.put(
                "cli",
                Set.of(
                        "model",
                        "formats",
                        "analysis",
                        "signatures",
                        "policy",
                        "diff",
                        "report",
                        "engine",
                        "yara",
                        "intel"));
    }

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.tollgate");
    }

    static Set<String> modules() {
        return ALLOWED.keySet();
    }

    @ParameterizedTest
    @MethodSource("modules")
    void dependsOnlyOnTheModulesBelowIt(String module) {
        Set<String> forbidden = new TreeSet<>();
        for (String other : Set.of(
                "model",
                "formats",
                "analysis",
                "signatures",
                "policy",
                "diff",
                "report",
                "engine",
                "yara",
                "intel",
                "cli",
                "store",
                "server",
                "fleet",
                "vendors")) {
            if (!other.equals(module) && !ALLOWED.get(module).contains(other)) {
                forbidden.add("dev.tollgate." + other + "..");
            }
        }
        noClasses()
                .that()
                .resideInAPackage("dev.tollgate." + module + "..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(forbidden.toArray(String[]::new))
                .because(module + " may use only " + ALLOWED.get(module))
                .check(classes);
    }

    /** Every module but the CLI, whose {@code submit} talks HTTP to a server. */
    static Set<String> engineSide() {
        Set<String> modules = new TreeSet<>(ALLOWED.keySet());
        modules.remove("cli");
        return modules;
    }

    @ParameterizedTest
    @MethodSource("engineSide")
    void knowsNoHttpAndNoSql(String module) {
        noClasses()
                .that()
                .resideInAPackage("dev.tollgate." + module + "..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "java.sql..",
                        "javax.sql..",
                        "java.net.http..",
                        "jakarta.servlet..",
                        "org.springframework..",
                        "com.sun.net.httpserver..")
                .because("the engine and the CLI's vetting are plain Java: HTTP and SQL belong to the server")
                .check(classes);
    }
}
