package org.rramlab.device.scpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rramlab.device.scpi.AnalyzerReplies.DataItem;

/** Every reply form parses; random and malformed replies raise only the drivers' own typed errors, naming the command. */
@Timeout(60)
class ReplyParserTest {
    static final FlexFormat F1 = FlexFormat.ASCII12_HEADER;

    @Test
    void analyzerDataItemsInEveryFormat() {
        assertEquals(new DataItem(MeasurementStatus.OK, 1, 'I', 0.0), AnalyzerReplies.parseItem("NAI+000.000E-06", F1, "TI 1"));
        assertEquals(12.345e-6, AnalyzerReplies.parseItem("NAI+012.345E-06", F1, "TI 1").value(), 1e-18);
        assertEquals(12.3456e-6, AnalyzerReplies.parseItem("NAI+012.3456E-06", FlexFormat.ASCII13_HEADER, "TI 1").value(), 1e-18);
        assertEquals(-1.5e-9, AnalyzerReplies.parseItem("NBI-001.500E-09", F1, "TI 2").value(), 1e-21);
        assertEquals(10, AnalyzerReplies.parseItem("NJI+001.500E-09", F1, "TI 10").channel());
        assertEquals(302, AnalyzerReplies.parseItem("NcI+001.500E-09", F1, "TI 302").channel(), "sub-channel 2 of slot 3");
        assertEquals(0.2, AnalyzerReplies.parseItem("NAV+200.000E-03", F1, "TV 1").value(), 1e-15);
        assertEquals(2.5e-6, AnalyzerReplies.parseItem("+002.500E-06", FlexFormat.ASCII12, "TI 1").value(), 1e-18);
        assertEquals(MeasurementStatus.OVERFLOW, AnalyzerReplies.parseItem("+199.999E+99", FlexFormat.ASCII12, "TI 1").status());
        assertEquals(MeasurementStatus.COMPLIANCE, AnalyzerReplies.parseItem("CAI+001.000E-03", F1, "TI 1").status());
        DataItem v = AnalyzerReplies.parseItem("VAI+199.999E+99", F1, "TI 1");
        assertEquals(MeasurementStatus.OVERFLOW, v.status());
        assertEquals(AnalyzerReplies.OVERFLOW_VALUE, v.value());
        for (MeasurementStatus s : MeasurementStatus.values()) {
            DataItem d = AnalyzerReplies.parseItem(s.letter() + "AI+1.5E-06", F1, "TI 1");
            assertEquals(s, d.status());
            assertEquals(s == MeasurementStatus.OK || s == MeasurementStatus.SWEEP_STEP || s == MeasurementStatus.LAST_SWEEP_STEP,
                    d.ok(), "status " + s);
        }
        List<DataItem> row = AnalyzerReplies.parseItems("NBI+001.000E-06,CCI+001.000E-03,VDI+199.999E+99", 3, F1, "XE");
        assertEquals(List.of(2, 3, 4), row.stream().map(DataItem::channel).toList());
        MalformedReplyException few = assertThrows(MalformedReplyException.class,
                () -> AnalyzerReplies.parseItems("NAI+001.000E-06", 2, F1, "XE"));
        assertTrue(few.getMessage().contains("'XE'"), few.getMessage());
        assertThrows(MalformedReplyException.class, () -> AnalyzerReplies.parseItems("NAI+001.000E-06,NAI+001.000E-06", 1, F1, "XE"));
        assertThrows(MalformedReplyException.class, () -> AnalyzerReplies.parseItem("NAI+012.345E-0", F1, "TI 1"));
        MalformedReplyException status = assertThrows(MalformedReplyException.class,
                () -> AnalyzerReplies.parseItem("QAI+012.345E-06", F1, "TI 1"));
        assertTrue(status.getMessage().contains("status letter") && status.getMessage().contains("'TI 1'"), status.getMessage());
        assertThrows(MalformedReplyException.class, () -> AnalyzerReplies.parseItem("NKI+012.345E-06", F1, "TI 1"));
        assertThrows(MalformedReplyException.class, () -> AnalyzerReplies.parseItem("NAW+012.345E-06", F1, "TI 1"));
        IllegalArgumentException fmt = assertThrows(IllegalArgumentException.class, () -> FlexFormat.of(5));
        assertTrue(fmt.getMessage().contains("use FMT 1, 2, 11 or 12"), fmt.getMessage());
    }

    @Test
    void channelsAndLettersRoundTrip() {
        for (int ch : new int[] {1, 2, 9, 10, 102, 502, 1002}) {
            ParameterAnalyzer.checkChannel(ch);
            assertEquals(ch, AnalyzerReplies.channelOf(AnalyzerReplies.channelLetter(ch)));
        }
        for (int bad : new int[] {0, 11, 101, 103, 1102}) {
            assertThrows(IllegalArgumentException.class, () -> ParameterAnalyzer.checkChannel(bad), "channel " + bad);
        }
    }

    @Test
    void formatterAndParserAgree() {
        SplittableRandom r = new SplittableRandom(3);
        for (FlexFormat f : FlexFormat.values()) {
            for (int i = 0; i < 2000; i++) {
                double value = Math.pow(10, r.nextDouble(-15, 3)) * (r.nextBoolean() ? 1 : -1);
                DataItem item = new DataItem(MeasurementStatus.OK, 3, 'I', value);
                DataItem back = AnalyzerReplies.parseItem(item.format(f), f, "TI 3");
                assertEquals(value, back.value(), Math.abs(value) * (f.decimals() == 3 ? 6e-4 : 6e-5), item.format(f));
            }
        }
        assertEquals("+012.345E-06", AnalyzerReplies.engineering(12.345e-6));
        assertEquals("+012.3450E-06", AnalyzerReplies.engineering(12.345e-6, 4));
        assertEquals("+199.999E+99", AnalyzerReplies.engineering(AnalyzerReplies.OVERFLOW_VALUE));
    }

    @Test
    void errorRepliesAndVeloxFrames() {
        assertEquals(new AnalyzerReplies.ErrorReply(0, "No Error."), AnalyzerReplies.parseError("+0,\"No Error.\"", "ERRX?"));
        assertEquals(-100, AnalyzerReplies.parseError("-100,\"Command error\"", "ERRX?").code());
        assertThrows(MalformedReplyException.class, () -> AnalyzerReplies.parseError("0,No Error", "ERRX?"));
        assertEquals(-222, ScpiErrors.parse("-222,\"Data out of range\"", ":SYST:ERR?").code());
        assertEquals("Cmd=7:StepNextDie:3 0", VeloxReplies.command(7, "StepNextDie", "3 0"));
        VeloxReplies.Reply r = VeloxReplies.parse("Rsp=7:0:3 0 0 1", "StepNextDie 3 0");
        assertEquals(7, r.id());
        assertEquals(List.of("3", "0", "0", "1"), r.tokens());
        assertEquals(List.of("a b", "2"), VeloxReplies.parse("Rsp=1:0:\"a b\" 2", "x").tokens());
        assertEquals(703, VeloxReplies.parse("Rsp=8:703:EndOfWafer", "StepNextDie").code());
        MalformedReplyException bad = assertThrows(MalformedReplyException.class, () -> VeloxReplies.parse("0: 1 0 0", "StepFirstDie 0 1"));
        assertTrue(bad.getMessage().contains("'StepFirstDie 0 1'"), bad.getMessage());
        assertThrows(MalformedReplyException.class, () -> VeloxReplies.ints(VeloxReplies.parse("Rsp=1:0:1 2", "s"), 3, "", "s"));
    }

    /** Random strings and mutations of valid replies: a value or a typed error, nothing else. */
    @Test
    void thousandsOfRandomAndMalformedRepliesRaiseOnlyTypedErrors() {
        String[] valid = {"NAI+012.345E-06", "NBI+001.000E-06,CCI+001.000E-03,VDI+199.999E+99", "+0,\"No Error.\"",
                "Rsp=3:0:3 0 0 1", "Rsp=4:703:EndOfWafer", "Rsp=5:0:12.5 C 0", "305,\"x\"", "1"};
        String alphabet = "NCVTAIV+-.,:E0123456789 \"#~\u00bf\u0000\r\t?;abcXYZRsp=";
        SplittableRandom r = new SplittableRandom(99);
        int typed = 0;
        for (int i = 0; i < 6000; i++) {
            String reply;
            if (i % 2 == 0) {
                StringBuilder b = new StringBuilder();
                int n = r.nextInt(0, 60);
                for (int k = 0; k < n; k++) b.append(alphabet.charAt(r.nextInt(alphabet.length())));
                reply = b.toString();
            } else {
                char[] c = valid[r.nextInt(valid.length)].toCharArray();
                int edits = 1 + r.nextInt(3);
                for (int k = 0; k < edits; k++) c[r.nextInt(c.length)] = alphabet.charAt(r.nextInt(alphabet.length()));
                reply = r.nextInt(4) == 0 ? new String(c, 0, r.nextInt(c.length + 1)) : new String(c);
            }
            final String text = reply;
            for (Runnable parse : new Runnable[] {
                    () -> AnalyzerReplies.parseItem(text, F1, "TI 1"),
                    () -> AnalyzerReplies.parseItems(text, 3, FlexFormat.ASCII13_HEADER, "XE"),
                    () -> AnalyzerReplies.parseError(text, "ERRX?"),
                    () -> ScpiErrors.parse(text, ":SYST:ERR?"),
                    () -> VeloxReplies.ints(VeloxReplies.parse(text, "StepNextDie"), 4, text, "StepNextDie"),
                    () -> VeloxReplies.doubles(VeloxReplies.parse(text, "GetHeaterTemp C"), 1, text, "GetHeaterTemp C")}) {
                try {
                    parse.run();
                } catch (InstrumentException expected) {
                    typed++;
                } catch (RuntimeException other) {
                    throw new AssertionError("reply '" + text + "' raised " + other, other);
                }
            }
        }
        assertTrue(typed > 30000, "most random replies are refused: " + typed);
    }
}
