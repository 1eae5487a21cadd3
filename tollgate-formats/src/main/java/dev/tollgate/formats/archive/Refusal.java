package dev.tollgate.formats.archive;

import java.util.Optional;

/**
 * Unpacking refuses to go on. {@link Scope#ENTRY} skips one entry; {@link Scope#CONTAINER} stops the container (its
 * remaining entries are not read); {@link Scope#SCAN} stops every container of the top-level file (a total limit).
 */
final class Refusal extends Exception {

    private static final long serialVersionUID = 1L;

    enum Scope {
        ENTRY,
        CONTAINER,
        SCAN
    }

    private final transient Optional<Problem> problem;
    private final Scope scope;

    Refusal(Scope scope, Problem problem) {
        super(problem.message(), null, false, false);
        this.scope = scope;
        this.problem = Optional.of(problem);
    }

    private Refusal() {
        super("unpacking already stopped", null, false, false);
        this.scope = Scope.SCAN;
        this.problem = Optional.empty();
    }

    /** Stops the walk after a total limit that was already reported once. */
    static Refusal silent() {
        return new Refusal();
    }

    /** The problem to report, empty when it was reported already. */
    Optional<Problem> problem() {
        return problem;
    }

    Scope scope() {
        return scope;
    }
}
