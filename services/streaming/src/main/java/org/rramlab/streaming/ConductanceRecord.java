package org.rramlab.streaming;

import org.rramlab.device.Block;

/**
 * What travels on topic {@value #TOPIC}, keyed by array id so that one array's records stay in
 * order: the reads themselves, and what each block was programmed to (so that the statistics
 * can be rebuilt from the topic alone). (array id, kind, sequence) identifies a record exactly.
 */
public sealed interface ConductanceRecord permits ReadRecord, ProgrammedRecord {
    String TOPIC = "rram.conductance";

    String arrayId();

    long sequence();

    double arrayTimeSeconds();

    Block block();
}
