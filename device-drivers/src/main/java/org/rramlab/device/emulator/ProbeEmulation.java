package org.rramlab.device.emulator;

import org.rramlab.device.DeviceException;

/**
 * The probe-station protocol (Velox style, replies {@code <code>: <values>}). Codes: 0 success,
 * 703 end of wafer, 510 unknown command, 511 bad parameter, 520 no die selected.
 */
final class ProbeEmulation {
    private final Wafer wafer;

    ProbeEmulation(Wafer wafer) {
        this.wafer = wafer;
    }

    String handle(String name, String args) {
        String[] a = args.isBlank() ? new String[0] : args.trim().split(" +");
        switch (name) {
            case "StepFirstDie":
                return stepTo(0);
            case "StepNextDie":
                if (a.length == 0) {
                    return stepTo(wafer.currentDie + 1);
                }
                try {
                    int die = Integer.parseInt(a[0]);
                    return die < 0 ? "511: die number must be >= 0" : stepTo(die);
                } catch (NumberFormatException e) {
                    return "511: die number '" + a[0] + "' is not an integer";
                }
            case "MoveChuckContact":
                if (wafer.currentDie < 0) {
                    return "520: no die selected; send StepFirstDie";
                }
                wafer.contact = true;
                return "0:";
            case "MoveChuckSeparation":
                wafer.contact = false;
                return "0:";
            case "ReadArrayClock":
                if (wafer.currentDie < 0) {
                    return "520: no die selected; send StepFirstDie";
                }
                return "0: " + wafer.dies[wafer.currentDie].clockSeconds() + " "
                        + wafer.dies[wafer.currentDie].temperatureKelvin();
            case "SetChuckTemperature":
                return onEveryDie(a, (model, v) -> model.setTemperature(v));
            case "AdvanceClockTo":
                return onEveryDie(a, (model, v) -> model.advanceClock(Math.max(0, v - model.clockSeconds())));
            default:
                return "510: unknown command " + name;
        }
    }

    private interface DieAction {
        void apply(org.rramlab.device.sim.ArrayModel model, double value);
    }

    /** The chuck heats the whole wafer and time passes for all dies alike. */
    private String onEveryDie(String[] a, DieAction action) {
        if (a.length != 1) {
            return "511: expected one number";
        }
        double v;
        try {
            v = Double.parseDouble(a[0]);
        } catch (NumberFormatException e) {
            return "511: '" + a[0] + "' is not a number";
        }
        try {
            for (var model : wafer.dies) {
                action.apply(model, v);
            }
        } catch (DeviceException e) {
            return "511: " + e.getMessage().replaceAll("[^ -~]", "?");
        }
        return "0:";
    }

    private String stepTo(int die) {
        if (die >= wafer.dies.length) {
            return "703: End of wafer";
        }
        wafer.currentDie = die;
        wafer.contact = false; // stepping moves the chuck in separation
        return "0: " + die + " 0 0";
    }
}
