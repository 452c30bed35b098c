package org.rramlab.device.scpi;

import org.rramlab.device.DevicePreset;

/**
 * How a 1T1R cell is SET to a conductance: the gate voltage of the access transistor limits the
 * current during the SET pulse (compliance by the transistor), and the filament grows until it
 * carries that current, so the conductance after a SET follows the gate voltage:
 * {@code G = (Vg - thresholdVolts) * siemensPerVolt}. The driver uses the inverse to choose the
 * gate voltage of a target; the emulated devices follow the same curve. Calibrate both numbers on
 * a real array (a gate sweep of SET pulses, then reads) before programming it.
 */
public record ProgrammingCurve(double thresholdVolts, double siemensPerVolt) {
    public ProgrammingCurve {
        if (!(siemensPerVolt > 0) || !Double.isFinite(thresholdVolts)) {
            throw new IllegalArgumentException("programming curve needs a finite threshold and a positive slope");
        }
    }

    /** Threshold 0.5 V; Gmax of the preset at a gate of 2.0 V. */
    public static ProgrammingCurve forPreset(DevicePreset preset) {
        return new ProgrammingCurve(0.5, preset.gMaxSiemens() / 1.5);
    }

    public double gateVolts(double siemens) {
        return thresholdVolts + siemens / siemensPerVolt;
    }

    public double siemens(double gateVolts) {
        return (gateVolts - thresholdVolts) * siemensPerVolt;
    }
}
