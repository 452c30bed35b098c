package org.rramlab.device.scpi;

/**
 * How long a station's instruments take, for the timing-faithful emulator and for {@code device
 * plan}'s predictions (docs/instruments.md, "Timing").
 *
 * <ul>
 *   <li>B1500 integration per measured channel from {@code AIT type,mode,N} (Programming Guide,
 *       Command Reference "AIT"): power-line-cycle mode N / line frequency (both ADCs); time mode
 *       N seconds (high-speed ADC); manual mode N x 80 us (high-resolution ADC) or N samples of
 *       {@link #SAMPLE_SECONDS} (high-speed); auto mode as manual with the guide's initial N. The
 *       channels of one {@code MM 1} are measured one after the other, except with the parallel
 *       mode ({@code PAD 1}) on the high-speed ADC: then they share one integration.</li>
 *   <li>Matrix relays: {@code relayMs} until {@code *OPC?} answers after a routing (the B2200A's
 *       relay switching time is a few ms; its User's Guide "Specifications" gives the figure of
 *       the installed cards), then the driver's own settle time.</li>
 *   <li>Prober: one die step {@code stepMs} (chuck to separation, move by the die pitch), one
 *       contact or separation move {@code contactMs}; both depend on the pitch, speed settings and
 *       overtravel of the station: measure them once and give them here.</li>
 * </ul>
 *
 * @param lineHz      power-line frequency (50 or 60)
 * @param roundTripMs one query's round trip on the bus (GPIB or LAN)
 */
public record InstrumentTiming(double lineHz, double relayMs, double settleMs, double roundTripMs, double stepMs,
                               double contactMs) {
    /** One sample of the high-speed ADC (manual and auto modes of AIT 0). */
    public static final double SAMPLE_SECONDS = 2e-6;
    /** One unit of the high-resolution ADC's manual mode. */
    public static final double HR_UNIT_SECONDS = 80e-6;

    public InstrumentTiming {
        if (!(lineHz == 50 || lineHz == 60) || relayMs < 0 || settleMs < 0 || roundTripMs < 0 || stepMs < 0 || contactMs < 0) {
            throw new IllegalArgumentException("timing: line frequency 50 or 60 Hz, every time >= 0");
        }
    }

    /** 50 Hz, 5 ms relays, 5 ms settle, 2 ms round trip, 1 s die step, 0.3 s contact (assumptions, see above). */
    public static InstrumentTiming defaults() {
        return new InstrumentTiming(50, 5, 5, 2, 1000, 300);
    }

    /** Integration of one measured channel under {@code AIT adcType,mode,n}. */
    public double integrationSeconds(int adcType, int mode, double n) {
        if (mode == 2) {
            return n / lineHz;
        }
        if (adcType == 0) {
            return mode == 3 ? n : n * SAMPLE_SECONDS;
        }
        return n * HR_UNIT_SECONDS;
    }

    /** One routing: three round trips (route, *OPC?, :SYST:ERR?), the relays and the settle time. */
    public double routingSeconds() {
        return (3 * roundTripMs + relayMs + settleMs) / 1000;
    }

    /** One measurement of {@code channels} channels: two round trips and an integration per channel. */
    public double measureSeconds(int channels, double integrationSeconds) {
        return measureSeconds(channels, integrationSeconds, false);
    }

    /** The same, with {@code parallel} ({@code PAD 1}, high-speed ADC): one integration for all channels. */
    public double measureSeconds(int channels, double integrationSeconds, boolean parallel) {
        return 2 * roundTripMs / 1000 + (parallel ? Math.min(channels, 1) : channels) * integrationSeconds;
    }
}
