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

    @Option(names = "--cluster-key-store", paramLabel = "FILE", description = "TLS between cluster nodes: the PKCS12"
            + " key store every node shares (`rramlab cluster keys` makes it); needs --cluster-password-file.")
    java.nio.file.Path clusterKeyStore;

    @Option(names = "--cluster-trust-store", paramLabel = "FILE",
            description = "The PKCS12 trust store of the cluster's certificate (default: the key store).")
    java.nio.file.Path clusterTrustStore;

    @Option(names = "--cluster-password-file", paramLabel = "FILE", description = "The file holding the stores' password.")
    java.nio.file.Path clusterPasswordFile;

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
        if (clusterKeyStore != null) {
            overrides.put("rramlab.cluster.tls.key-store", quoted(clusterKeyStore));
        }
        if (clusterTrustStore != null) {
            overrides.put("rramlab.cluster.tls.trust-store", quoted(clusterTrustStore));
        }
        if (clusterPasswordFile != null) {
            overrides.put("rramlab.cluster.tls.key-store-password-file", quoted(clusterPasswordFile));
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

    private static String quoted(java.nio.file.Path p) {
        return com.typesafe.config.ConfigUtil.quoteString(p.toAbsolutePath().toString());
    }
}
