"""What the conformance scripts share: pyvisa-py's resource manager, a raw socket resource on
loopback as the rramlab emulators serve it (LF terminated), and the check that prints one line or
stops the script with the failed check on stderr.
"""
import sys

import pyvisa

_rm = None


def resource_manager():
    """pyvisa-py's manager, made at first use (after a script has set pyvisa-py's module constants)."""
    global _rm
    if _rm is None:
        _rm = pyvisa.ResourceManager("@py")
    return _rm


def socket(port, timeout_ms=3000):
    """A raw-socket resource on 127.0.0.1:port, LF terminated both ways."""
    r = resource_manager().open_resource("TCPIP0::127.0.0.1::%d::SOCKET" % port)
    r.read_termination = "\n"
    r.write_termination = "\n"
    r.timeout = timeout_ms
    return r


def check(ok, what):
    if not ok:
        sys.stderr.write("FAILED: " + what + "\n")
        sys.exit(1)
    print("ok " + what)
