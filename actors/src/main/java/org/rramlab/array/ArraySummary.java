package org.rramlab.array;

import java.time.Instant;
import java.util.List;
import org.rramlab.serialization.CborSerializable;

/**
 * What GetState answers: the array, its link, its clock, what was done to it.
 *
 * @param link          "connected", "reconnecting" or "failed", as the driver sees it
 * @param unpublished   records (programmings and frames) Kafka may not have yet
 * @param interruptions link interruptions, most recent last; an ongoing one has no end
 */
public record ArraySummary(String arrayId, String kind, String preset, int rows, int cols, int levels, Long seed,
                           String address, Integer die, String link, String linkDetail, double clockSeconds,
                           double temperatureKelvin, long programmings, long reads, int unpublished,
                           List<Interruption> interruptions, Instant registeredAt) implements CborSerializable {}
