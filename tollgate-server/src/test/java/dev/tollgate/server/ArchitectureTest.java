package dev.tollgate.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The server's shape (STYLE.md, "For the server"), checked on its compiled classes. */
class ArchitectureTest {

    private static final JavaClasses SERVER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.tollgate.server");

    @Test
    void everyRouteDeclaresItsPermissionWhereItIsDefined() {
        methods()
                .that()
                .areAnnotatedWith(GetMapping.class)
                .or()
                .areAnnotatedWith(PostMapping.class)
                .or()
                .areAnnotatedWith(PutMapping.class)
                .or()
                .areAnnotatedWith(DeleteMapping.class)
                .or()
                .areAnnotatedWith(PatchMapping.class)
                .or()
                .areAnnotatedWith(RequestMapping.class)
                .should()
                .beAnnotatedWith(RequiresPermission.class)
                .orShould()
                .beAnnotatedWith(PublicRoute.class)
                .because("a route without a declared permission is refused at run time (PermissionInterceptor)")
                .check(SERVER);
    }

    @Test
    void controllersHoldNoSqlAndReachStorageOnlyThroughServices() {
        noClasses()
                .that()
                .areAnnotatedWith(RestController.class)
                .should()
                .dependOnClassesThat()
                .haveNameMatching(
                        "dev\\.tollgate\\.store\\.(.*Repository|AuditLog|JobQueue|BlobStore)|org\\.springframework\\.jdbc\\..*|java\\.sql\\..*|javax\\.sql\\..*")
                .check(SERVER);
    }

    @Test
    void onlyReleaseVettingCallsTheEngine() {
        classes()
                .that()
                .resideInAPackage("dev.tollgate.server")
                .and()
                .areNotNestedClasses()
                .and()
                .doNotHaveSimpleName("ReleaseVetting")
                .should()
                .onlyDependOnClassesThat()
                .resideOutsideOfPackage("dev.tollgate.engine..")
                .because("one class adapts the engine to the server: vetting, deciding, the stored vetting")
                .check(SERVER);
    }

    @Test
    void onlyIntelFeedReaderCallsTheIntelModule() {
        classes()
                .that()
                .resideInAPackage("dev.tollgate.server")
                .and()
                .areNotNestedClasses()
                .and()
                .doNotHaveSimpleName("IntelFeedReader")
                .should()
                .onlyDependOnClassesThat()
                .resideOutsideOfPackage("dev.tollgate.intel..")
                .because("one class adapts the intel module to the server: reading feeds, matching IP networks;"
                        + " the retro-hunt itself is SQL over stored facts")
                .check(SERVER);
    }
}
