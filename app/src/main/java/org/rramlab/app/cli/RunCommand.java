package org.rramlab.app.cli;

import com.typesafe.config.Config;
import java.util.concurrent.Callable;
import org.rramlab.node.LabConfig;
import org.rramlab.app.node.LabNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Starts one lab node and keeps it running until Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Start a lab node: embedded Kafka broker, journal, actor system and HTTP server.",
            "Stops cleanly on Ctrl-C."})
public final class RunCommand implements Callable<Integer> {
    @Mixin
    NodeOptions node = new NodeOptions();

    @Option(names = "--print-config", description = "Print the effective configuration (secrets not shown) and exit.")
    boolean printConfig;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "Serve HTTPS only, with this PEM certificate (chain); needs --tls-key.")
    java.nio.file.Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "The certificate's PEM (PKCS#8) private key.")
    java.nio.file.Path tlsKey;

    @Option(names = "--tls-self-signed", description = "Serve HTTPS only, with a self-signed pair made once and kept"
            + " in <data-dir>/tls (for a first try; browsers will warn).")
    boolean tlsSelfSigned;

    @Override
    public Integer call() throws Exception {
        java.util.Map<String, String> overrides = new java.util.LinkedHashMap<>(node.overrides());
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "give both --tls-cert FILE and --tls-key FILE, or --tls-self-signed");
        }
        if (tlsCert != null) {
            overrides.put("rramlab.http.tls.cert-file", com.typesafe.config.ConfigUtil.quoteString(tlsCert.toAbsolutePath().toString()));
            overrides.put("rramlab.http.tls.key-file", com.typesafe.config.ConfigUtil.quoteString(tlsKey.toAbsolutePath().toString()));
        } else if (tlsSelfSigned) {
            overrides.put("rramlab.http.tls.self-signed", "true");
        }
        Config effective = LabConfig.load(overrides);
        if (printConfig) {
            System.out.print(LabConfig.render(effective));
            return 0;
        }
        LabNode started = NodeStart.start(effective, System.out);
        started.whenStopped().toCompletableFuture().join();
        return 0;
    }
}
