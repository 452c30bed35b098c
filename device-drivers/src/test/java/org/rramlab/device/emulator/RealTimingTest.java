package org.rramlab.device.emulator;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rramlab.device.AsyncOps;
import org.rramlab.device.Block;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.scpi.InstrumentTiming;
import org.rramlab.device.scpi.PhysicalArray;
import org.rramlab.device.scpi.StationAddresses;
import org.rramlab.device.scpi.VeloxProber;
import org.rramlab.device.sim.TestPresets;

/**
 * The timing-faithful emulator takes what the instruments take: one integration per measured
 * channel from AIT (1 PLC = 20 ms at 50 Hz), the relays until *OPC?, the prober's step and
 * contact; and a read takes what {@link InstrumentTiming} predicts for it, not much more.
 */
@Timeout(120)
class RealTimingTest {
    private static double seconds(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    @Test
    void aReadTakesTheIntegrationsRelaysAndStepsItNeeds() throws Exception {
        DevicePreset preset = TestPresets.dac();
        InstrumentTiming t = new InstrumentTiming(50, 5, 0, 0, 400, 100);
        StationEmulator.Config c = StationEmulator.Config.of(preset, 4, 8, 2, 1, FaultSpec.NONE).withRealTiming(t);
        try (StationEmulator e = new StationEmulator(c).start()) {
            StationAddresses at = StationAddresses.parse(e.analyzerAddress(), e.matrixAddress(), null, e.proberAddress());
            PhysicalArray.Options o = PhysicalArray.Options.defaults(preset, 4, 8)
                    .withTiming(Duration.ZERO, VeloxProber.Settings.defaults(), Duration.ofMinutes(1));
            try (PhysicalArray row = new PhysicalArray("row", 4, 8, at, o.withMode(PhysicalArray.ReadMode.ROW));
                 PhysicalArray parallel = new PhysicalArray("parallel", 4, 8, at, o.withMode(PhysicalArray.ReadMode.PARALLEL));
                 PhysicalArray cell = new PhysicalArray("cell", 4, 8, at, o.withMode(PhysicalArray.ReadMode.CELL))) {
                double connect = seconds(() -> AsyncOps.await(row.health()));
                assertTrue(connect >= 0.5, "a step (0.4 s) and a contact (0.1 s) on connect, took " + connect);
                AsyncOps.await(cell.health());
                Block line = new Block(0, 0, 1, 8);
                double integration = t.integrationSeconds(1, 2, 1);
                // row mode: 2 routings, each with 4 channels measured one after the other
                double rowPredicted = 2 * (t.routingSeconds() + t.measureSeconds(4, integration));
                AsyncOps.await(row.read(line)); // the first read also warms up the code paths
                AsyncOps.await(cell.read(line));
                double rowTook = seconds(() -> AsyncOps.await(row.read(line)));
                assertTrue(rowTook >= rowPredicted && rowTook < rowPredicted * 1.5 + 0.1,
                        "row read took " + rowTook + " s, predicted " + rowPredicted);
                // cell mode: 8 routings of one channel each
                double cellPredicted = 8 * (t.routingSeconds() + t.measureSeconds(1, integration));
                double cellTook = seconds(() -> AsyncOps.await(cell.read(line)));
                assertTrue(cellTook >= cellPredicted && cellTook < cellPredicted * 1.5 + 0.1,
                        "cell read took " + cellTook + " s, predicted " + cellPredicted);
                assertTrue(rowTook < cellTook, "the multi-channel spot measurement is faster: " + rowTook + " vs " + cellTook);
                // parallel mode (PAD 1, high-speed ADC at 1 PLC): 2 routings, the 4 channels of each in one integration
                AsyncOps.await(parallel.read(line)); // connects: its setup turns PAD on for every connection's commands
                double parallelPredicted = 2 * (t.routingSeconds() + t.measureSeconds(4, t.integrationSeconds(0, 2, 1), true));
                double parallelTook = seconds(() -> AsyncOps.await(parallel.read(line)));
                assertTrue(parallelTook >= parallelPredicted && parallelTook < parallelPredicted * 1.5 + 0.1,
                        "parallel read took " + parallelTook + " s, predicted " + parallelPredicted);
                assertTrue(parallelTook < rowTook - 2 * 2.5 * integration,
                        "PAD 1 saves three of the four integrations per routing: " + parallelTook + " vs " + rowTook);
            }
        }
    }
}
