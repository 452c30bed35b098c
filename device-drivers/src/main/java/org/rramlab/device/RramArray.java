package org.rramlab.device;

import java.util.concurrent.CompletionStage;

/**
 * An RRAM array, simulated or behind instruments. Every operation is asynchronous and bounded
 * by a timeout, so that a slow instrument never blocks the caller; failures complete the stage
 * exceptionally with a {@link DeviceException}.
 */
public interface RramArray extends AutoCloseable {
    String id();

    int rows();

    int cols();

    CompletionStage<ProgramResult> program(ProgramRequest request);

    CompletionStage<Frame> read(Block block);

    /** Advance the array's own clock (accelerated time for simulated arrays). */
    CompletionStage<Void> advanceClock(double seconds);

    /** Set the array's temperature in kelvin (a bake step). */
    CompletionStage<Void> setTemperature(double kelvin);

    CompletionStage<ArrayHealth> health();

    /**
     * Who answers for this array, as the instruments identify themselves (*IDN? and the prober's
     * version), or a simulated array's own identity; null while a physical array has not connected yet.
     */
    default String identity() {
        return null;
    }

    @Override
    void close();
}
