package org.rramlab.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A status shows its recorded provenance and, beside it, only what differs now. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ProvenanceChangesTest {
    private static Provenance.ArrayIdentity sim(String preset, String hash) {
        return new Provenance.ArrayIdentity("simulated", preset, hash, null);
    }

    private final Provenance recorded = new Provenance("1.0", "abc", null, null,
            Map.of("a", sim("dac2020-65nm", "h1"), "b", sim("dac2020-65nm", "h1")));

    @Test
    void nothingChangedGivesNothing() {
        assertEquals(Map.of(), recorded.changedIn(recorded));
    }

    @Test
    void onlyTheFieldsThatChangedAreShownWithTheirValuesNow() {
        Provenance now = new Provenance("1.0", "def", null, null,
                Map.of("a", sim("dac2020-65nm", "h1"), "b", sim("fitted", "h2")));
        assertEquals(Map.of("git_commit", "def", "arrays", Map.of("b", Map.of("preset", "fitted", "preset_sha256", "h2"))),
                recorded.changedIn(now));
    }

    @Test
    void anArrayNotRecordedIsShownWhole() {
        Provenance now = new Provenance("1.0", "abc", null, null, Map.of("c",
                new Provenance.ArrayIdentity("b1500", "p", "h", "TCPIP0::10.0.0.2::5025::SOCKET")));
        assertEquals(Map.of("arrays", Map.of("c", Map.of("driver", "b1500", "preset", "p", "preset_sha256", "h",
                "instrument_address", "TCPIP0::10.0.0.2::5025::SOCKET"))), recorded.changedIn(now));
    }
}
