package org.rramlab.device.scpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class StationFileTest {
    private static String station(String model, int cards, String mode, int gndu, int rows, int cols, int wl, int bl, int sl) {
        return "matrix { model = " + model + ", cards = " + cards + ", mode = " + mode + " }\n"
                + "analyzer { gate-smu = { channel = 1, input = 1 }, bit-smus = [ { channel = 2, input = 2 } ], gndu-input = " + gndu + " }\n"
                + "probe-card { rows = " + rows + ", cols = " + cols + ", word-lines = " + wl + ", bit-lines = " + bl
                + ", source-lines = " + sl + " }";
    }

    private static String refused(String text) {
        return assertThrows(IllegalArgumentException.class, () -> StationFile.from(ConfigFactory.parseString(text), "test"))
                .getMessage();
    }

    @Test
    void theShippedStationsLoadAndRouteAsTheirMatrixNumbersChannels() {
        StationFile b = StationFile.load(Path.of("../config/stations/b2200a-4cards.conf"));
        assertEquals(new SwitchMatrix.Layout(SwitchMatrix.Model.B2200A, 4, SwitchMatrix.Mode.AUTO), b.matrix());
        // auto mode: card 0, outputs up to 48
        assertEquals(List.of("00116", "01248", "00232", "00333"), b.wiring().relays(b.matrix(), 15, 15, 2).stream()
                .map(SwitchMatrix.Channel::code).toList());
        StationFile e = StationFile.load(Path.of("../config/stations/e5250a-2cards.conf"));
        // normal mode: output 24 is card 2's 12
        assertEquals("21012", e.wiring().relays(e.matrix(), 7, 0, 1).get(1).code());
    }

    @Test
    void anImpossibleWiringIsRefusedNamingTheLimit() {
        String inputs = refused(station("E5250A", 4, "normal", 12, 8, 8, 1, 9, 17));
        assertTrue(inputs.contains("matrix input 12 does not exist: a E5250A has inputs 1..10"), inputs);
        String outputs = refused(station("B2200A", 2, "auto", 12, 16, 16, 1, 17, 33));
        assertTrue(outputs.contains("2 card(s) of 12 outputs have 24"), outputs);
        String overlap = refused(station("B2200A", 4, "auto", 12, 8, 8, 1, 5, 17));
        assertTrue(overlap.contains("overlap"), overlap);
        String twice = refused(station("B2200A", 4, "auto", 2, 8, 8, 1, 9, 17));
        assertTrue(twice.contains("input 2 is given to two"), twice);
        String cards = refused(station("B2200A", 5, "auto", 12, 8, 8, 1, 9, 17));
        assertTrue(cards.contains("1..4 cards"), cards);
        StationFile ok = StationFile.from(ConfigFactory.parseString(station("B2200A", 4, "normal", 12, 16, 16, 1, 17, 33)), "t");
        String big = assertThrows(IllegalArgumentException.class, () -> ok.check(32, 32)).getMessage();
        assertTrue(big.contains("reaches arrays up to 16x16") && big.contains("array board"), big);
    }
}
