package org.rramlab.device.emulator;

import java.util.Locale;

/**
 * A prober behind the Velox message server: lines {@code Cmd=<id>:<name>:<parameters>},
 * replies {@code Rsp=<id>:<code>:<values>}, or {@code Rsp=<id>:<code>} when there are no values;
 * {@code FCN=...:RegisterProberApp:...} registers. Lines without a frame are the GPIB form the
 * labs' Velox scripts use ({@code StepNextDie 3 4} answered {@code 0: 3 4 0 1}).
 *
 * <p>Stepping as the SCI reference has it: {@code StepFirstDie} to the first die of the route,
 * {@code StepNextDie} with no parameters to the next die of the route (703 after the last),
 * {@code StepNextDie Column Row [SubSite]} to a map position, {@code StepToDie DieNumber
 * [SubSite]} to a die by number. The wafer map is two-dimensional with off-wafer corners and
 * skipped positions ({@link WaferMap}). Codes (emulator's): 0 success, 703 end of wafer,
 * 1 unknown command, 5 bad parameter, 520 no die selected, 702 position not a die of the map.
 */
final class VeloxEmulation implements Instrument {
    static final double DIE_PITCH_UM = 5000;
    static final double CONTACT_UM = 10000;
    static final double SEPARATION_GAP_UM = 300;
    private final Station station;
    private double z = CONTACT_UM - SEPARATION_GAP_UM;
    /** Motion commands executed: a test checks that no move was repeated. */
    long motions;

    /** Null: moves take no time; else a step takes stepMs and a chuck move contactMs. */
    private final org.rramlab.device.scpi.InstrumentTiming timing;

    VeloxEmulation(Station station, org.rramlab.device.scpi.InstrumentTiming timing) {
        this.station = station;
        this.timing = timing;
    }

    private void takes(double millis) {
        if (timing != null) {
            Sleep.seconds(millis / 1000);
        }
    }

    @Override
    public String internalError(String why) {
        return null;
    }

    @Override
    public String handle(String line) {
        if (line.startsWith("FCN=")) {
            String[] p = line.substring(4).split(":", 3);
            return "Rsp=" + (p[0].matches("[0-9]{1,4}") ? p[0] : "0") + ":0";
        }
        if (!line.startsWith("Cmd=")) {
            return gpib(line);
        }
        String[] p = line.substring(4).split(":", 3);
        if (p.length < 2 || !p[0].matches("[0-9]{1,4}")) {
            return null;
        }
        String id = p[0];
        String args = p.length == 3 ? p[2].trim() : "";
        String[] a = args.isEmpty() ? new String[0] : args.split(" +");
        String r = command(p[1].trim(), a);
        // no values: the reply is the two-part Rsp=id:code
        return "Rsp=" + id + ":" + (r.endsWith(":") ? r.substring(0, r.length() - 1) : r);
    }

    /** The GPIB form: {@code Name parameters}, answered {@code code: values}. */
    private String gpib(String line) {
        String t = line.strip();
        if (t.equalsIgnoreCase("*IDN?")) {
            return "FormFactor,Velox,RRAMLAB-EMU,3.60.0.0 (rramlab instrument emulator)";
        }
        int space = t.indexOf(' ');
        String name = space < 0 ? t : t.substring(0, space);
        String args = space < 0 ? "" : t.substring(space + 1).trim();
        String r = command(name, args.isEmpty() ? new String[0] : args.split(" +"));
        int colon = r.indexOf(':');
        return r.substring(0, colon) + ": " + r.substring(colon + 1);
    }

    private String command(String name, String[] a) {
        switch (name) {
            case "StepFirstDie":
                return stepTo(0);
            case "StepNextDie": {
                if (a.length == 0) {
                    return stepTo(station.currentDie + 1);
                }
                if (a.length < 2) {
                    return "5:StepNextDie takes no parameters (next die) or Column Row [SubSite]";
                }
                try {
                    int col = Integer.parseInt(a[0]);
                    int row = Integer.parseInt(a[1]);
                    int die = station.map.dieAt(col, row);
                    if (die < 0) {
                        return "702:column " + col + ", row " + row + (station.map.skipped(col, row) ? " is skipped on the wafer map"
                                : " is not on the wafer map");
                    }
                    return stepTo(die);
                } catch (NumberFormatException e) {
                    return "5:column and row must be integers, got '" + a[0] + " " + a[1] + "'";
                }
            }
            case "StepToDie": {
                if (a.length < 1) {
                    return "5:StepToDie needs a die number";
                }
                try {
                    int die = Integer.parseInt(a[0]);
                    if (die < 0 || die >= station.dies.length) {
                        return "702:die " + die + " is not on the wafer map (dies 0.." + (station.dies.length - 1) + ")";
                    }
                    return stepTo(die);
                } catch (NumberFormatException e) {
                    return "5:die number '" + a[0] + "' is not an integer";
                }
            }
            case "MoveChuckContact":
                if (station.currentDie < 0) {
                    return "520:no die selected; send StepFirstDie";
                }
                motions++;
                takes(timing == null ? 0 : timing.contactMs());
                station.contact = true;
                z = CONTACT_UM;
                return "0:";
            case "MoveChuckSeparation":
                motions++;
                takes(timing == null ? 0 : timing.contactMs());
                station.contact = false;
                z = CONTACT_UM - SEPARATION_GAP_UM;
                return "0:";
            case "ReadChuckPosition": {
                int d = Math.max(0, station.currentDie);
                double x = station.map.column(d) * DIE_PITCH_UM;
                double y = station.map.row(d) * DIE_PITCH_UM;
                return String.format(Locale.ROOT, "0:%.1f %.1f %.1f", x, y, z);
            }
            case "ReportKernelVersion":
                return "0:3.60.0.0 Velox Kernel (rramlab instrument emulator)";
            case "ReadChuckHeights":
                return String.format(Locale.ROOT, "0:%.1f %.1f %.1f %.1f %.1f", CONTACT_UM, 20.0, 100.0, SEPARATION_GAP_UM, 50.0);
            case "ReadMapPosition2": {
                int d = station.currentDie;
                int last = station.dies.length - 1;
                int col = station.map.column(Math.max(d, 0));
                int row = station.map.row(Math.max(d, 0));
                return String.format(Locale.ROOT, "0:%d %d %.1f %.1f 0 0 %d %d 0 0", col, row, col * DIE_PITCH_UM, row * DIE_PITCH_UM,
                        d, last);
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
        takes(timing == null ? 0 : timing.stepMs());
        station.currentDie = die;
        station.contact = false; // stepping moves the chuck in separation
        z = CONTACT_UM - SEPARATION_GAP_UM;
        return "0:" + station.map.column(die) + " " + station.map.row(die) + " 0 1";
    }
}
