package org.rramlab.device.visa;

/** Numbers of the VXI-11 core channel (VXI-11 specification, section B: RPCL of the core channel). */
public final class Vxi11 {
    public static final int CORE_PROGRAM = 0x0607AF;
    public static final int CORE_VERSION = 1;
    public static final int CREATE_LINK = 10;
    public static final int DEVICE_WRITE = 11;
    public static final int DEVICE_READ = 12;
    public static final int DEVICE_CLEAR = 15;
    public static final int DESTROY_LINK = 23;
    /** Device_Flags: the last byte of a write is the END of the message. */
    public static final int FLAG_END = 8;
    /** Device_Flags: termChar of a read is set. */
    public static final int FLAG_TERMCHRSET = 128;
    /** Reasons a read ended. */
    public static final int REASON_REQCNT = 1;
    public static final int REASON_CHR = 2;
    public static final int REASON_END = 4;
    /** Device_ErrorCode values. */
    public static final int OK = 0;
    public static final int SYNTAX_ERROR = 1;
    public static final int DEVICE_NOT_ACCESSIBLE = 3;
    public static final int INVALID_LINK = 4;
    public static final int PARAMETER_ERROR = 5;
    public static final int OPERATION_NOT_SUPPORTED = 8;
    public static final int IO_TIMEOUT = 15;
    public static final int IO_ERROR = 17;
    public static final int ABORT = 23;

    private Vxi11() {}

    public static String error(long code) {
        return switch ((int) code) {
            case 0 -> "no error";
            case 1 -> "syntax error";
            case 3 -> "device not accessible";
            case 4 -> "invalid link identifier";
            case 5 -> "parameter error";
            case 6 -> "channel not established";
            case 8 -> "operation not supported";
            case 9 -> "out of resources";
            case 11 -> "device locked by another link";
            case 12 -> "no lock held by this link";
            case 15 -> "I/O timeout";
            case 17 -> "I/O error";
            case 21 -> "invalid address";
            case 23 -> "abort";
            case 29 -> "channel already established";
            default -> "error " + code;
        };
    }
}
