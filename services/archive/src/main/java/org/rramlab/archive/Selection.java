package org.rramlab.archive;

/**
 * The records of one array that are one campaign's, when several campaigns used the array: the
 * frames {@code firstSequence..lastSequence} read in the array-time window
 * [{@code fromSeconds}, {@code toSeconds}], and the programming {@code firstProgrammed..lastProgrammed}
 * in that window (the programming before it still gives the CSV's target levels).
 */
public record Selection(String arrayId, double fromSeconds, double toSeconds, long firstSequence, long lastSequence,
                        long firstProgrammed, long lastProgrammed) {
    public Selection {
        if (arrayId == null || arrayId.isBlank()) {
            throw new IllegalArgumentException("a selection names its array");
        }
        if (!(fromSeconds <= toSeconds)) {
            throw new IllegalArgumentException("array-time window " + fromSeconds + ".." + toSeconds + " of array '"
                    + arrayId + "' is empty or not a number; give from <= to");
        }
    }

    /** In an array-time window, every sequence. */
    public Selection(String arrayId, double fromSeconds, double toSeconds) {
        this(arrayId, fromSeconds, toSeconds, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    public static Selection all(String arrayId) {
        return new Selection(arrayId, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    /**
     * Frames {@code first..last} (none when {@code last < first}), and the programming from array
     * time {@code from} on; {@code programmed} the one programming that is the selection's (null:
     * any in the window).
     */
    public static Selection frames(String arrayId, double fromSeconds, Long programmed, long first, long last) {
        return new Selection(arrayId, fromSeconds, Double.POSITIVE_INFINITY, first, last,
                programmed == null ? Long.MIN_VALUE : programmed, programmed == null ? Long.MAX_VALUE : programmed);
    }

    public boolean contains(double arrayTimeSeconds) {
        return arrayTimeSeconds >= fromSeconds && arrayTimeSeconds <= toSeconds;
    }

    /** Whether a read frame is in the selection: its sequence and its array time. */
    public boolean containsRead(long sequence, double arrayTimeSeconds) {
        return sequence >= firstSequence && sequence <= lastSequence && contains(arrayTimeSeconds);
    }

    /** Whether a programming is the selection's ({@code history}: or one before it, which set the levels it read). */
    public boolean containsProgrammed(long sequence, double arrayTimeSeconds, boolean history) {
        if (sequence > lastProgrammed || arrayTimeSeconds > toSeconds) {
            return false;
        }
        return history || (sequence >= firstProgrammed && arrayTimeSeconds >= fromSeconds);
    }

    /** Whether a segment holding sequences {@code first..last} may hold frames of the selection. */
    public boolean overlaps(long first, long last) {
        return last >= firstSequence && first <= lastSequence;
    }

    public boolean bySequence() {
        return firstSequence != Long.MIN_VALUE || lastSequence != Long.MAX_VALUE;
    }

    public Selection until(double seconds) {
        return new Selection(arrayId, fromSeconds, Math.max(fromSeconds, Math.min(toSeconds, seconds)), firstSequence,
                lastSequence, firstProgrammed, lastProgrammed);
    }
}
