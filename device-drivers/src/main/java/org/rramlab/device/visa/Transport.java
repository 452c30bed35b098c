package org.rramlab.device.visa;

import java.time.Duration;

/**
 * A message link to one instrument. Writes carry one or more terminated lines; reads return one
 * reply line without its terminator. Every read has a deadline; failures are {@link TransportException}s.
 */
public interface Transport extends AutoCloseable {
    void write(String text);

    /** One reply line, within {@code timeout}; {@code command} names what it answers (for errors). */
    String readLine(Duration timeout, String command);

    /**
     * Device clear (IEEE 488.2 DCL/SDC, VXI-11 device_clear, Prologix ++clr): the instrument drops
     * its pending input and output so the next reply belongs to the next command.
     */
    void clear(Duration timeout);

    /** Where this transport goes, for messages. */
    String where();

    @Override
    void close();
}
