package org.rramlab.device.visa;

import java.time.Duration;

/** Opens the transport a resource string names. */
public final class Transports {
    /**
     * @param connectTimeout longest wait for a connection
     * @param maxLineLength  longest reply accepted
     * @param portmapperPort where the ONC-RPC portmapper of a VXI-11 host listens (111 on real hosts)
     */
    public record Settings(Duration connectTimeout, int maxLineLength, int portmapperPort) {}

    /** Opens a transport; the drivers take one so that a dry run can stand in for the network. */
    @FunctionalInterface
    public interface Opener {
        Transport open(VisaAddress address, Settings settings);
    }

    private Transports() {}

    public static Transport open(VisaAddress address, Settings settings) {
        if (address instanceof VisaAddress.Socket s) {
            return SocketTransport.open(s.host(), s.port(), settings.connectTimeout(), settings.maxLineLength());
        }
        if (address instanceof VisaAddress.Vxi11 v) {
            return Vxi11Transport.open(v.host(), v.device(), settings.portmapperPort(), settings.connectTimeout(),
                    settings.maxLineLength());
        }
        if (address instanceof VisaAddress.Prologix p) {
            return PrologixTransport.open(p, settings);
        }
        return VisaLibraryTransport.open((VisaAddress.Gpib) address, settings);
    }
}
