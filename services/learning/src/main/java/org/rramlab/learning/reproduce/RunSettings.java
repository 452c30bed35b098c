package org.rramlab.learning.reproduce;

import java.util.List;
import org.rramlab.learning.data.Dataset;
import org.rramlab.learning.data.Splits;

/**
 * How a reproduction is carried out, beside what it computes ({@link ReproduceOptions}): built once by the caller.
 *
 * @param commit          the commit the code was built from, for the result's provenance ("unknown" from a library)
 * @param command         the command line, for the provenance
 * @param allVariants     score every mapping variant on every teacher and chip (a pass over the test images each),
 *                        or the default reading alone: a large network's run spends its time on the OSA rows instead
 * @param validationLimit choose settings on the first N validation images only (0 or less: all); the JSON says how many
 * @param testLimit       score on the first N t10k images only (0 or less: all): a large network's quick run on 2 cores
 *                        cannot afford dozens of passes over 10,000 images
 * @param selectionOnly   stop after choosing the settings of "rramlab", "paper" or "both" (null: the whole run): the
 *                        grids can be grown for the two methods in two processes; nothing is scored on held-out chips
 */
public record RunSettings(String commit, String command, boolean allVariants, int validationLimit, int testLimit,
                          String selectionOnly) {
    /** A whole run on every image, without provenance. */
    public static final RunSettings DEFAULT = new RunSettings("unknown", "unknown", true, 0, 0, null);

    public RunSettings {
        if (selectionOnly != null && !List.of("rramlab", "paper", "both").contains(selectionOnly)) {
            throw new IllegalArgumentException("--selection-only takes rramlab, paper or both, got " + selectionOnly);
        }
    }

    Dataset validation(Splits splits) {
        return validationLimit > 0 ? splits.validation().head(validationLimit) : splits.validation();
    }

    Dataset test(Splits splits) {
        return testLimit > 0 ? splits.test().head(testLimit) : splits.test();
    }
}
