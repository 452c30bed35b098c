package org.rramlab.device.visa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rramlab.device.AsyncOps;
import org.rramlab.device.Block;
import org.rramlab.device.DevicePreset;
import org.rramlab.device.Frame;
import org.rramlab.device.ProgramRequest;
import org.rramlab.device.emulator.FaultSpec;
import org.rramlab.device.emulator.StationEmulator;
import org.rramlab.device.scpi.InstrumentErrorException;
import org.rramlab.device.scpi.LinkException;
import org.rramlab.device.scpi.LinkOptions;
import org.rramlab.device.scpi.ParameterAnalyzer;
import org.rramlab.device.scpi.PhysicalArray;
import org.rramlab.device.scpi.StationAddresses;
import org.rramlab.device.scpi.VeloxProber;
import org.rramlab.device.sim.SimulatedArray;
import org.rramlab.device.sim.TestPresets;

/** Every transport against real peers on loopback: VXI-11 (our ONC-RPC client and server), a Prologix adapter, VISA. */
@Timeout(120)
class TransportTest {
    final DevicePreset preset = TestPresets.dac();

    @Test
    void resourceStringsParseOrSayWhatIsAccepted() {
        assertEquals(new VisaAddress.Socket("TCPIP0::10.0.0.5::5025::SOCKET", "10.0.0.5", 5025),
                VisaAddress.parse("TCPIP0::10.0.0.5::5025::SOCKET"));
        assertEquals(new VisaAddress.Vxi11("TCPIP::b1500.lab::INSTR", "b1500.lab", "inst0"), VisaAddress.parse("TCPIP::b1500.lab::INSTR"));
        assertEquals(new VisaAddress.Vxi11("TCPIP0::gw::gpib0,17::INSTR", "gw", "gpib0,17"), VisaAddress.parse("TCPIP0::gw::gpib0,17::INSTR"));
        assertEquals(new VisaAddress.Prologix("PROLOGIX::adapter::22", "adapter", 1234, 22), VisaAddress.parse("PROLOGIX::adapter::22"));
        assertEquals(new VisaAddress.Gpib("GPIB0::17::INSTR", 0, 17), VisaAddress.parse("GPIB0::17::INSTR"));
        for (String bad : new String[] {"", "scpi://h:1", "TCPIP0::h::99999::SOCKET", "TCPIP0::h::x::SOCKET", "GPIB0::31::INSTR",
                "TCPIP0::h::gpib0;17::INSTR"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VisaAddress.parse(bad), bad);
            assertTrue(e.getMessage().contains("TCPIP0::HOST::PORT::SOCKET"), e.getMessage());
        }
    }

    @Test
    void withoutAVisaLibraryGpibSaysWhatToInstall() {
        TransportException e = assertThrows(TransportException.class,
                () -> VisaLibraryTransport.library(List.of("rramlab-no-such-visa-library")));
        assertTrue(e.getMessage().contains("no VISA library is installed") && e.getMessage().contains("NI-VISA")
                && e.getMessage().contains("TCPIP0::GATEWAY::gpib0,N::INSTR"), e.getMessage());
    }

    @Test
    void vxi11CarriesTheAnalyzerAndTheMatrixThroughAGateway() throws Exception {
        int rows = 6, cols = 8;
        try (StationEmulator e = new StationEmulator(StationEmulator.Config.of(preset, rows, cols, 1, 4, FaultSpec.NONE).withVxi11()).start();
             SimulatedArray reference = new SimulatedArray("ref", preset, rows, cols, 4)) {
            LinkOptions link = LinkOptions.defaults().withCommandTimeout(Duration.ofMillis(300)).withPortmapperPort(e.portmapperPort());
            Block all = new Block(0, 0, rows, cols);
            int[] levels = TestPresets.levelPattern(rows * cols, 10);
            PhysicalArray.Options o = PhysicalArray.Options.defaults(preset, rows, cols).withLink(link, link)
                    .withTiming(Duration.ZERO, VeloxProber.Settings.defaults(), Duration.ofMinutes(1));
            try (PhysicalArray array = new PhysicalArray("vxi", rows, cols, StationAddresses.parse(e.analyzerVxi11Address(),
                    e.matrixVxi11Address(), null, e.proberAddress()), o)) {
                AsyncOps.await(array.program(ProgramRequest.ofLevels(all, levels, false)));
                AsyncOps.await(reference.program(ProgramRequest.ofLevels(all, levels, false)));
                Frame a = AsyncOps.await(array.read(all));
                Frame b = AsyncOps.await(reference.read(all));
                for (int i = 0; i < a.conductances().length; i++) {
                    assertEquals(b.conductances()[i], a.conductances()[i], b.conductances()[i] * 1e-4, "cell " + i);
                }
                // a refused query is not answered: device_read times out, ERRX? gives the reason
                InstrumentErrorException refused = assertThrows(InstrumentErrorException.class,
                        () -> array.analyzer().spotCurrent("", 9));
                assertTrue(refused.getMessage().contains("'TI 9'"), refused.getMessage());
                assertTrue(array.analyzer().identify().contains("B1500"));
            }
            LinkException unknown = assertThrows(LinkException.class, () -> {
                try (ParameterAnalyzer p = new ParameterAnalyzer(VisaAddress.parse("TCPIP0::127.0.0.1::gpib0,5::INSTR"),
                        link.withAttempts(1, Duration.ZERO, Duration.ZERO), ParameterAnalyzer.Settings.defaults(),
                        Transports::open, 1)) {
                    p.identify();
                }
            });
            assertTrue(unknown.getMessage().contains("create_link to 'gpib0,5' failed: device not accessible"), unknown.getMessage());
        }
    }

    @Test
    void aPrologixAdapterIsAddressedAndReadWithItsOwnCommands() throws Exception {
        try (StationEmulator e = new StationEmulator(StationEmulator.Config.of(preset, 4, 4, 1, 4, FaultSpec.NONE)).start();
             ServerSocket adapter = new ServerSocket(0)) {
            List<String> adapterCommands = new CopyOnWriteArrayList<>();
            Thread t = new Thread(() -> prologix(adapter, e.analyzerPort(), adapterCommands), "fake-prologix");
            t.setDaemon(true);
            t.start();
            try (ParameterAnalyzer p = new ParameterAnalyzer(VisaAddress.parse("PROLOGIX::127.0.0.1:" + adapter.getLocalPort() + "::17"),
                    LinkOptions.defaults(), ParameterAnalyzer.Settings.defaults(), Transports::open, 1)) {
                assertTrue(p.identify().contains("B1500"));
                assertEquals(0, p.queryError().code());
            }
            assertTrue(adapterCommands.containsAll(List.of("++mode 1", "++auto 0", "++addr 17", "++read eoi")), adapterCommands.toString());
        }
    }

    /** A minimal Prologix adapter in front of one emulated GPIB instrument: ++ lines to itself, the rest to the bus. */
    private static void prologix(ServerSocket adapter, int instrumentPort, List<String> seen) {
        try (Socket client = adapter.accept(); Socket bus = new Socket("127.0.0.1", instrumentPort)) {
            BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.ISO_8859_1));
            BufferedReader fromBus = new BufferedReader(new InputStreamReader(bus.getInputStream(), StandardCharsets.ISO_8859_1));
            OutputStream toBus = bus.getOutputStream();
            OutputStream out = client.getOutputStream();
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("++")) {
                    seen.add(line);
                    if (line.equals("++read eoi") || line.equals("++read")) {
                        out.write((fromBus.readLine() + "\n").getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                    }
                } else {
                    toBus.write((line.replace("\u001b", "") + "\n").getBytes(StandardCharsets.ISO_8859_1));
                    toBus.flush();
                }
            }
        } catch (Exception ignored) {
            // the test is over
        }
    }
}
