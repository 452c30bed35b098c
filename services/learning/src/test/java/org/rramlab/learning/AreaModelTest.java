package org.rramlab.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rramlab.learning.area.AreaModel;
import org.rramlab.learning.area.AreaParameters;
import org.rramlab.learning.area.AreaReport;

class AreaModelTest {
    @Test
    void everyShippedParameterHasAValueAndASource() {
        AreaParameters p = AreaParameters.neurosim65nm();
        for (String n : AreaParameters.NAMES) {
            AreaParameters.Parameter x = p.parameters().get(n);
            assertTrue(x != null, n + " missing");
            assertFalse(x.source().isBlank(), n + " has no source");
            // a source is a publication, a NeuroSim file, rramlab's own design, or says it is an estimate
            assertTrue(x.source().matches("(?s).*(NeuroSim V1\\.3 Param\\.cpp|ISCAS 2022|DAC 2020|rramlab's|estimate:"
                    + "|the scheme above|Fan et al|IEDM 2004).*"), n + ": " + x.source());
        }
        assertEquals(48, p.value("rram-cell-f2"));
        assertEquals(135, p.value("sram-cell-f2"), "0.57 um^2 at F = 65 nm (Bai et al., IEDM 2004)");
        assertEquals(13, p.value("sram-index-bits"));
    }

    @Test
    void routingIsChargedPerTileThatHoldsCorrections() {
        AreaModel perUnit = new AreaModel(AreaParameters.neurosim65nm());
        AreaModel perTile = new AreaModel(AreaParameters.neurosim65nm(), 14);
        // 491 corrections fit one SRAM subarray: one routing mux per unit, but 14 when they reach 14 tiles
        assertEquals(14, perTile.routedTiles(491));
        assertEquals(3, perTile.routedTiles(3));
        assertEquals(13 * perTile.tileRoutingF2(), perTile.sramMacroF2(491) - perUnit.sramMacroF2(491), 1e-6);
        assertTrue(perTile.weightsForMacroCost(61_706, 0.0786) < perUnit.weightsForMacroCost(61_706, 0.0786));
    }

    @Test
    void aParameterWithoutSourceIsRefused() {
        String conf = "name = x\n" + String.join("\n", AreaParameters.NAMES.stream()
                .map(n -> n.equals("adc-f2") ? n + " { value = 5 }" : n + " { value = 1, source = \"s\" }").toList());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AreaParameters.fromConfig(ConfigFactory.parseString(conf)));
        assertTrue(e.getMessage().contains("adc-f2") && e.getMessage().contains("source"), e.getMessage());
    }

    @Test
    void bothViewsOnHandCountedNumbers() {
        // a 4 x 4 subarray, 2 columns per ADC, 4-bit SRAM words with 4 index bits: easy to add up by hand
        AreaModel m = new AreaModel(params(Map.ofEntries(Map.entry("subarray-rows", 4.0),
                Map.entry("subarray-cols", 4.0), Map.entry("columns-per-adc", 2.0), Map.entry("rram-cell-f2", 10.0),
                Map.entry("adc-f2", 50.0), Map.entry("shift-add-f2", 30.0), Map.entry("rram-row-f2", 5.0),
                Map.entry("rram-column-f2", 7.0), Map.entry("sram-cell-f2", 100.0), Map.entry("sram-bits", 4.0),
                Map.entry("sram-index-bits", 4.0), Map.entry("sram-row-f2", 3.0), Map.entry("sram-column-f2", 4.0))));
        double rram = 16 * 10 + 2 * (50 + 30) + 4 * 5 + 4 * 7; // 368 F^2 for 8 weights
        assertEquals(rram, m.rramSubarrayF2(), 1e-9);
        assertEquals(2, m.correctionsPerUnit(), "16 bit cells hold two 8-bit corrections");
        double sramArray = (16 * 100 + 4 * 3 + 4 * 4) / 2.0;   // per correction
        double unit = (1 + 2 + 3) * 10.0;                        // gate equivalents x F^2 each
        assertEquals(unit, m.logicUnitF2(), 1e-9);
        AreaReport r = m.report(800, 3);                         // three corrections need two logic units
        assertEquals((3 * sramArray + 2 * unit) / (800 * rram / 8), r.macroCost(), 1e-12);
        assertEquals(3 * 8 * 100.0 / (800 * 2 * 10.0), r.cellOnlyCost(), 1e-12);
        assertEquals(1 - 160 / rram, m.rramPeripheralShare(), 1e-12);
        long k = m.weightsForMacroCost(800, r.macroCost());
        assertEquals(3, k, "the largest number within a cost is the one that produced it");
        assertTrue(m.report(800, k + 1).macroCost() > r.macroCost());
    }

    @Test
    void indexBitsCostAreaInBothViews() {
        AreaModel m = new AreaModel(AreaParameters.neurosim65nm());
        long none = m.withIndexBits(0).weightsForMacroCost(61_706, 0.0786);
        long full = m.weightsForMacroCost(61_706, 0.0786);
        assertTrue(full < none, full + " corrections with 13 index bits, " + none + " without");
        assertEquals(21.0 / 8, m.report(61_706, 300).cellOnlyCost() / m.withIndexBits(0).report(61_706, 300).cellOnlyCost(),
                1e-9);
    }

    private static AreaParameters params(Map<String, Double> values) {
        Map<String, AreaParameters.Parameter> m = new LinkedHashMap<>();
        for (String n : AreaParameters.NAMES) {
            m.put(n, new AreaParameters.Parameter(values.getOrDefault(n, n.endsWith("-ge") ? 0 : 2.0), "test"));
        }
        m.put("cells-per-rram-weight", new AreaParameters.Parameter(2, "test"));
        m.put("mac-unit-ge", new AreaParameters.Parameter(1, "test"));
        m.put("routing-mux-ge", new AreaParameters.Parameter(2, "test"));
        m.put("column-adder-ge", new AreaParameters.Parameter(3, "test"));
        m.put("gate-equivalent-f2", new AreaParameters.Parameter(10, "test"));
        return new AreaParameters("test", m);
    }
}
