package org.rramlab.device.scpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rramlab.device.scpi.AnalyzerReplies.DataItem;

/** Every reply form parses; random and malformed replies raise only the drivers' own typed errors. */
class ReplyParserTest {
    @Test
    void analyzerDataItemsInEveryForm() {
        DataItem ok = AnalyzerReplies.parseItem("NAI+000.000E-06", "TI 1");
        assertEquals(new DataItem(MeasurementStatus.OK, 'A', 'I', 0.0), ok);
        assertEquals(12.345e-6, AnalyzerReplies.parseItem("NAI+012.345E-06", "TI 1").value(), 1e-18);
        assertEquals(-1.5e-9, AnalyzerReplies.parseItem("NBI-001.500E-09", "TI 2").value(), 1e-21);
        assertEquals(0.2, AnalyzerReplies.parseItem("NAV+200.000E-03", "TV 1").value(), 1e-15);
        DataItem c = AnalyzerReplies.parseItem("CAI+001.000E-03", "TI 1");
        assertEquals(MeasurementStatus.COMPLIANCE, c.status());
        DataItem v = AnalyzerReplies.parseItem("VAI+199.999E+99", "TI 1");
        assertEquals(MeasurementStatus.OVERFLOW, v.status());
        assertEquals(AnalyzerReplies.OVERFLOW_VALUE, v.value());
        for (char s : "NTCVXGS".toCharArray()) {
            assertEquals(s, AnalyzerReplies.parseItem(s + "AI+1.5E-06", "TI 1").status().letter());
        }
        List<DataItem> row = AnalyzerReplies.parseItems("NAI+001.000E-06,CAI+001.000E-03,VAI+199.999E+99", 3, "TIR");
        assertEquals(3, row.size());
        assertThrows(MalformedReplyException.class, () -> AnalyzerReplies.parseItems("NAI+001.000E-06", 2, "TIR"));
        assertThrows(MalformedReplyException.class, () -> AnalyzerReplies.parseItems("NAI+001.000E-06,NAI+001.000E-06", 1, "TIR"));
        assertThrows(MalformedReplyException.class, () -> AnalyzerReplies.parseItem("NAI+012.345E-0", "TI 1"));
        assertThrows(MalformedReplyException.class, () -> AnalyzerReplies.parseItem("QAI+012.345E-06", "TI 1"));
        assertThrows(MalformedReplyException.class, () -> AnalyzerReplies.parseItem("NAZ+012.345E-06", "TI 1"));
    }

    @Test
    void formatterAndParserAgree() {
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 2000; i++) {
            double value = Math.pow(10, r.nextDouble(-15, 3)) * (r.nextBoolean() ? 1 : -1);
            String text = AnalyzerReplies.engineering(value);
            assertTrue(text.matches("[+-][0-9]{3}\\.[0-9]{3}E[+-][0-9]{2}"), text);
            double back = AnalyzerReplies.parseItem("NAI" + text, "TI 1").value();
            assertEquals(value, back, Math.abs(value) * 6e-4, text);
        }
        assertEquals("+012.345E-06", AnalyzerReplies.engineering(12.345e-6));
        assertEquals("+199.999E+99", AnalyzerReplies.engineering(AnalyzerReplies.OVERFLOW_VALUE));
    }

    @Test
    void errorsAndProgramReplies() {
        assertEquals(new AnalyzerReplies.ErrorReply(0, "No Error"), AnalyzerReplies.parseError("0,\"No Error\""));
        assertEquals(-100, AnalyzerReplies.parseError("-100,\"Command error\"").code());
        InstrumentErrorException e = assertThrows(InstrumentErrorException.class,
                () -> AnalyzerReplies.parseItem("305,\"Cell 9,9 out of range\"", "TI 1"));
        assertEquals(305, e.code());
        assertEquals("Cell 9,9 out of range", e.instrumentMessage());
        assertEquals(new AnalyzerReplies.ProgramReply(4096, 3, 4.096E-3), AnalyzerReplies.parseProgram("4096,3,0.004096", "PGR"));
        assertEquals(1e-6, AnalyzerReplies.parseProgram("1,0,1.0E-6", "PGR").seconds());
        assertThrows(MalformedReplyException.class, () -> AnalyzerReplies.parseProgram("1,0", "PGR"));
        assertThrows(MalformedReplyException.class, () -> AnalyzerReplies.parseError("0,No Error"));
    }

    @Test
    void probeStationReplies() {
        assertEquals(new ProbeReplies.Reply(0, ""), ProbeReplies.parse("0:"));
        assertEquals(new ProbeReplies.Reply(0, "3 0 0"), ProbeReplies.parse("0: 3 0 0"));
        ProbeReplies.Reply end = ProbeReplies.expect("703: End of wafer", "StepNextDie", true);
        assertEquals(ProbeReplies.END_OF_WAFER, end.code());
        assertThrows(InstrumentErrorException.class, () -> ProbeReplies.expect("703: End of wafer", "MoveChuckContact", false));
        InstrumentErrorException e = assertThrows(InstrumentErrorException.class,
                () -> ProbeReplies.expect("520: no die selected", "MoveChuckContact", false));
        assertEquals(520, e.code());
        assertEquals(3, ProbeReplies.ints(ProbeReplies.parse("0: 1 2 3"), 3, "0: 1 2 3")[2]);
        assertEquals(300.0, ProbeReplies.doubles(ProbeReplies.parse("0: 12.5 300.0"), 2, "")[1]);
        assertEquals(1e-3, ProbeReplies.doubles(ProbeReplies.parse("0: 1.0E-3 1"), 2, "")[0]);
        assertThrows(MalformedReplyException.class, () -> ProbeReplies.ints(ProbeReplies.parse("0: 1 2"), 3, ""));
        assertThrows(MalformedReplyException.class, () -> ProbeReplies.parse("OK"));
        assertThrows(MalformedReplyException.class, () -> ProbeReplies.parse("0"));
    }

    /** Random strings and mutations of valid replies: a value or a typed error, nothing else. */
    @Test
    void thousandsOfRandomAndMalformedRepliesRaiseOnlyTypedErrors() {
        String[] valid = {"NAI+012.345E-06", "NAI+001.000E-06,CAI+001.000E-03,VAI+199.999E+99", "0,\"No Error\"",
                "4096,3,0.004096", "0: 3 0 0", "703: End of wafer", "0: 12.5 300.0", "305,\"x\""};
        String alphabet = "NCVTAIV+-.,:E0123456789 \"#~\u00bf\u0000\r\t?;abcXYZ";
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
                    () -> AnalyzerReplies.parseItem(text, "TI 1"),
                    () -> AnalyzerReplies.parseItems(text, 3, "TIR"),
                    () -> AnalyzerReplies.parseError(text),
                    () -> AnalyzerReplies.parseProgram(text, "PGR"),
                    () -> ProbeReplies.ints(ProbeReplies.expect(text, "StepNextDie", true), 3, text),
                    () -> ProbeReplies.doubles(ProbeReplies.expect(text, "ReadArrayClock", false), 2, text)}) {
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
