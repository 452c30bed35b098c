package org.rramlab.streaming;

import org.rramlab.device.Block;
import org.rramlab.device.Frame;

/** A frame of conductances read off an array; its sequence is the frame's. */
public record ReadRecord(Frame frame) implements ConductanceRecord {
    @Override
    public String arrayId() {
        return frame.arrayId();
    }

    @Override
    public long sequence() {
        return frame.sequence();
    }

    @Override
    public double arrayTimeSeconds() {
        return frame.arrayTimeSeconds();
    }

    @Override
    public Block block() {
        return frame.block();
    }
}
