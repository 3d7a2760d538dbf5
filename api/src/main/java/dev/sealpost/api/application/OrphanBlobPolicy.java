package dev.sealpost.api.application;

import java.time.Duration;

/**
 * {@code sealpost.blobs.orphan-grace}: how long a seal may take between writing its first object
 * and recording its envelope before those objects count as orphans; {@code
 * sealpost.blobs.orphan-sweep-interval}: how often {@link SweepOrphanBlobs} runs.
 */
public record OrphanBlobPolicy(Duration grace, Duration interval) {}
