package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class RoleTest {

    @Test
    void theAuditorReadsEverythingAndChangesNothing() {
        for (Permission p : Permission.values()) {
            assertThat(Role.AUDITOR.permits(p)).as(p.label()).isEqualTo(p.name().endsWith("_READ"));
        }
    }

    @Test
    void onlyAdminsAndApproversDecideReleasesAndOnlyAdminsMakeTokens() {
        EnumSet<Role> deciders = EnumSet.noneOf(Role.class);
        EnumSet<Role> tokenMakers = EnumSet.noneOf(Role.class);
        for (Role r : Role.values()) {
            if (r.permits(Permission.RELEASE_DECIDE)) {
                deciders.add(r);
            }
            if (r.permits(Permission.TOKEN_CREATE)) {
                tokenMakers.add(r);
            }
        }
        assertThat(deciders).containsExactlyInAnyOrder(Role.ADMIN, Role.APPROVER);
        assertThat(tokenMakers).containsExactly(Role.ADMIN);
        assertThat(Role.SUBMITTER.permits(Permission.RELEASE_SUBMIT)).isTrue();
        assertThat(Role.SUBMITTER.permits(Permission.PRODUCT_WRITE)).isFalse();
    }

    @Test
    void permissionLabelsReadAsResourceAndAction() {
        assertThat(Permission.RELEASE_DECIDE.label()).isEqualTo("release:decide");
        assertThat(Permission.ALERT_ACKNOWLEDGE.label()).isEqualTo("alert:acknowledge");
    }
}
