package org.rramlab.deploy;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.rramlab.array.Interruption;
import org.rramlab.node.Provenance;
import org.rramlab.serialization.CborSerializable;
import org.rramlab.serialization.LowerCaseWord;

/**
 * The body of GET /api/deployments/{id}: where it stands, in short. Checks and rounds have resources of their own.
 * The refresh fields count what refreshes wrote (each device was also written once when programmed):
 * devices written at least once, their writes, the most writes of one device, writes -> devices, pulses.
 * {@code metadata}: the run metadata it was created with (empty: none). {@code phase} is written as the
 * lower-case word ("supervising").
 */
public record DeploymentStatus(String id,
                               @JsonSerialize(using = LowerCaseWord.class) DeploymentState.Phase phase, String model, String dataset, List<String> arrays,
                               long weights, double softwareAccuracy, Double accuracy, Double rawAccuracy,
                               Double reference, double thresholdPoints, int checks, int rounds, long sramWeights,
                               double sramFraction, Double areaCostCell, Double areaCostMacro, Double arrayTimeSeconds,
                               Instant createdAt, Instant lastCheckAt, String problem, int interruptions,
                               String stopReason, List<Interruption> nodeInterruptions, Provenance provenanceAtStart,
                               DeploymentSpec spec, int refreshes, long refreshedDevices, long refreshWrites,
                               int maxRefreshWrites, Map<Integer, Long> refreshWriteHistogram, long refreshPulses,
                               Map<String, Object> metadata)
        implements CborSerializable {

    static DeploymentStatus of(String id, DeploymentState s) {
        DeploymentEvent.Check last = s.lastCheck();
        DeploymentEvent.Round round = s.rounds().isEmpty() ? null : s.rounds().get(s.rounds().size() - 1);
        long weights = s.mapping() == null ? 0 : s.mapping().weightCount();
        long sram = s.branch() == null ? 0 : s.branch().count();
        // a round after the last check changed what the network computes with: its result is the accuracy now
        boolean roundSince = round != null && last != null && round.applied() && !round.at().isBefore(last.at());
        // so did new gains decided at the last check
        boolean newGains = last != null && last.compensatedAccuracy() != null && s.decisions().stream()
                .anyMatch(d -> d.check() == last.number() && d.gains() != null);
        Double accuracy = last == null ? null : roundSince ? round.accuracyAfter()
                : newGains ? last.compensatedAccuracy() : last.accuracy();
        return new DeploymentStatus(id, s.phase(), s.model(), s.dataset(),
                s.mapping() == null ? List.of() : s.mapping().arrayIds(), weights, s.softwareAccuracy(),
                accuracy, last == null ? null : last.rawAccuracy(),
                Double.isNaN(s.reference()) ? null : s.reference(),
                s.spec() == null ? 0 : s.spec().thresholdOrDefault(), s.checks(), s.rounds().size(), sram,
                weights == 0 ? 0 : (double) sram / weights, round == null ? null : round.areaCostCell(),
                round == null ? null : round.areaCostMacro(), last == null ? null : last.arrayTimeSeconds(),
                s.createdAt(), last == null ? null : last.at(), s.problem(), s.interruptions(), s.stopReason(),
                s.nodeHistory().interruptions(), s.provenance(), s.spec(), s.endurance().refreshes().size(),
                s.endurance().devicesWritten(), s.endurance().deviceWrites(), s.endurance().maxWrites(),
                s.endurance().histogram(), s.endurance().pulses(), s.spec() == null ? Map.of() : s.spec().metadataOrEmpty());
    }
}
