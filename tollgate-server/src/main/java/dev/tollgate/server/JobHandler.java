package dev.tollgate.server;

import dev.tollgate.store.Job;

/**
 * Background work other than vetting that the analysis workers run from the same queue (retro-hunts, webhook
 * deliveries). A handler completes, retries or fails its job itself, conditional on the lease, and logs one line.
 */
interface JobHandler {

    boolean handles(String kind);

    void run(Job job);
}
