package org.rramlab.device.emulator;

/** The emulated instruments' own time: an integration, a relay, a chuck move. */
final class Sleep {
    private Sleep() {}

    static void seconds(double s) {
        if (s <= 0) {
            return;
        }
        long nanos = Math.round(s * 1e9);
        try {
            Thread.sleep(nanos / 1_000_000L, (int) (nanos % 1_000_000L));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
