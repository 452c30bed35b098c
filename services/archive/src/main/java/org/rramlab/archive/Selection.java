package org.rramlab.archive;

/**
 * The records of one array in an array-time window [{@code fromSeconds}, {@code toSeconds}]: a
 * campaign's share of an array that several campaigns used one after the other.
 */
public record Selection(String arrayId, double fromSeconds, double toSeconds) {
    public static Selection all(String arrayId) {
        return new Selection(arrayId, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    public boolean contains(double arrayTimeSeconds) {
        return arrayTimeSeconds >= fromSeconds && arrayTimeSeconds <= toSeconds;
    }
}
