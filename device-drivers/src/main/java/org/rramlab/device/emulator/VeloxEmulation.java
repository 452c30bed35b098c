package org.rramlab.device.emulator;

import java.util.Locale;

/**
 * A prober behind the Velox message server: lines {@code Cmd=<id>:<name>:<parameters>},
 * replies {@code Rsp=<id>:<code>:<values>}; {@code FCN=...:RegisterProberApp:...} registers.
 * The wafer map is one row of dies (die d at column d, row 0, one subsite). Codes (emulator's):
 * 0 success, 703 end of wafer, 1 unknown command, 5 bad parameter, 520 no die selected.
 */
final class VeloxEmulation implements Instrument {
    static final double DIE_PITCH_UM = 5000;
    static final double CONTACT_UM = 10000;
    static final double SEPARATION_GAP_UM = 300;
    private final Station station;
    private double z = CONTACT_UM - SEPARATION_GAP_UM;
    /** Motion commands executed: a test checks that no move was repeated. */
    long motions;

    VeloxEmulation(Station station) {
        this.station = station;
    }

    @Override
    public String internalError(String why) {
        return null;
    }

    @Override
    public String handle(String line) {
        if (line.startsWith("FCN=")) {
            String[] p = line.substring(4).split(":", 3);
            return "Rsp=" + (p[0].matches("[0-9]{1,4}") ? p[0] : "0") + ":0:";
        }
        if (!line.startsWith("Cmd=")) {
            return null; // not a message-server frame: the server ignores it
        }
        String[] p = line.substring(4).split(":", 3);
        if (p.length < 2 || !p[0].matches("[0-9]{1,4}")) {
            return null;
        }
        String id = p[0];
        String args = p.length == 3 ? p[2].trim() : "";
        String[] a = args.isEmpty() ? new String[0] : args.split(" +");
        return "Rsp=" + id + ":" + command(p[1].trim(), a);
    }

    private String command(String name, String[] a) {
        switch (name) {
            case "StepFirstDie":
                return stepTo(0);
            case "StepNextDie": {
                if (a.length == 0 || a[0].equals("-1")) {
                    return stepTo(station.currentDie + 1);
                }
                try {
                    int die = Integer.parseInt(a[0]);
                    return die < 0 ? "5:die number must be >= 0" : stepTo(die);
                } catch (NumberFormatException e) {
                    return "5:die number '" + a[0] + "' is not an integer";
                }
            }
            case "MoveChuckContact":
                if (station.currentDie < 0) {
                    return "520:no die selected; send StepFirstDie";
                }
                motions++;
                station.contact = true;
                z = CONTACT_UM;
                return "0:";
            case "MoveChuckSeparation":
                motions++;
                station.contact = false;
                z = CONTACT_UM - SEPARATION_GAP_UM;
                return "0:";
            case "ReadChuckPosition": {
                double x = Math.max(0, station.currentDie) * DIE_PITCH_UM;
                return String.format(Locale.ROOT, "0:%.1f %.1f %.1f", x, 0.0, z);
            }
            case "ReportKernelVersion":
                return "0:3.60.0.0 Velox Kernel (rramlab instrument emulator)";
            case "ReadChuckHeights":
                return String.format(Locale.ROOT, "0:%.1f %.1f %.1f %.1f %.1f", CONTACT_UM, 20.0, 100.0, SEPARATION_GAP_UM, 50.0);
            case "ReadMapPosition2": {
                int d = station.currentDie;
                int last = station.dies.length - 1;
                return "0:" + Math.max(d, 0) + " 0 " + Math.max(d, 0) * DIE_PITCH_UM + " 0.0 0 0 " + d + " " + last + " 0 0";
            }
            case "SetHeaterTemp": {
                if (a.length < 1) {
                    return "5:SetHeaterTemp needs a temperature";
                }
                try {
                    double t = Double.parseDouble(a[0]);
                    String unit = a.length > 1 ? a[1].toUpperCase(Locale.ROOT) : "C";
                    double c = unit.equals("F") ? (t - 32) / 1.8 : unit.equals("K") ? t - 273.15 : t;
                    if (!(c >= -60 && c <= 400)) {
                        return "5:temperature out of the heater's range -60..400 C";
                    }
                    station.heaterSetCelsius = c;
                    return "0:";
                } catch (NumberFormatException e) {
                    return "5:temperature '" + a[0] + "' is not a number";
                }
            }
            case "GetHeaterTemp": {
                String status = station.heaterCelsius == station.heaterSetCelsius ? "0" : "1";
                return String.format(Locale.ROOT, "0:%.2f C %s", station.heaterCelsius, status);
            }
            default:
                return "1:unknown command " + name.replaceAll("[^ -~]", "?");
        }
    }

    private String stepTo(int die) {
        if (die >= station.dies.length) {
            return "703:EndOfWafer";
        }
        motions++;
        station.currentDie = die;
        station.contact = false; // stepping moves the chuck in separation
        z = CONTACT_UM - SEPARATION_GAP_UM;
        return "0:" + die + " 0 0 1";
    }
}
