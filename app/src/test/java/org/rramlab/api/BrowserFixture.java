package org.rramlab.api;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test of the dashboard in Debian's headless chromium against a real node: the node's data dir
 * and the browser's profile of its own, and the two started together. Without chromium the test
 * fails (it does not skip): the suite is meant to draw the pages.
 */
abstract class BrowserFixture {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dataDir;
    @TempDir
    Path browserDir;

    /** The chromium on the PATH; fails the test when there is none. */
    static Path chromium() {
        return Chromium.executable().orElseGet(() -> fail("no chromium on the PATH: " + Chromium.INSTALL));
    }

    /** A node on {@link #dataDir} and a browser window of the size given; closing it closes the browser, then the node. */
    Session start(Path chromium, int width, int height) throws Exception {
        ApiNode api = ApiNode.start(dataDir, Map.of());
        try {
            return new Session(api, Chromium.start(chromium, browserDir.resolve("profile"), width, height));
        } catch (Exception | Error e) {
            api.close();
            throw e;
        }
    }

    record Session(ApiNode api, Chromium browser) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            try (api) {
                browser.close();
            }
        }
    }
}
