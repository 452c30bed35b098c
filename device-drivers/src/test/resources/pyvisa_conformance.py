"""Drives the rramlab instrument emulators with PyVISA and pyvisa-py (clients written elsewhere).

usage: pyvisa_conformance.py ANALYZER_PORT MATRIX_PORT PROBER_PORT PORTMAPPER_PORT
Prints one line per check; exits non-zero with the failed check on stderr.
"""
import sys

import pyvisa
import pyvisa_py.protocols.rpc as rpc
from emulator_session import check, resource_manager, socket as raw_socket

analyzer_port, matrix_port, prober_port, portmapper_port = (int(a) for a in sys.argv[1:5])
# the emulator's portmapper listens on an unprivileged port; pyvisa-py asks the module constant
rpc.PMAP_PORT = portmapper_port
rm = resource_manager()


def socket(port):
    return raw_socket(port, timeout_ms=2000)


prober = socket(prober_port)
prober.write("FCN=1:RegisterProberApp:pyvisa pyvisa 0")
check(prober.read().startswith("Rsp="), "prober registration answered")
# two dies on a 3 x 3 map whose corners are off the wafer: die 0 at column 1, row 0; die 1 at column 0, row 1
check(prober.query("Cmd=1:StepFirstDie:0 1") == "Rsp=1:0:1 0 0 1", "StepFirstDie reply framing")
check(prober.query("Cmd=2:MoveChuckContact:") == "Rsp=2:0", "a reply without values has two parts")
check(prober.query("Cmd=3:StepNextDie:") == "Rsp=3:0:0 1 0 1", "StepNextDie without parameters: the next die")
check(prober.query("Cmd=4:StepNextDie:") == "Rsp=4:703:EndOfWafer", "end of wafer is code 703")
check(prober.query("Cmd=5:StepToDie:0") == "Rsp=5:0:1 0 0 1", "StepToDie by number")
check(prober.query("Cmd=6:StepNextDie:0 0").startswith("Rsp=6:702:"), "a corner of the map is no die")
check(prober.query("Cmd=7:StepNextDie:1 0") == "Rsp=7:0:1 0 0 1", "StepNextDie Column Row")
check(prober.query("Cmd=8:MoveChuckContact:") == "Rsp=8:0", "contact again")
check(prober.query("Cmd=9:GetHeaterTemp:C").startswith("Rsp=9:0:25.00 C"), "heater temperature")

matrix = socket(matrix_port)
check("B2200A" in matrix.query("*IDN?"), "matrix identifies")
matrix.write(":ROUT:OPEN:CARD ALL;:ROUT:CLOS (@10101,11209,10205)")
check(matrix.query("*OPC?") == "1", "*OPC? after routing")
check(matrix.query(":SYST:ERR?").startswith("+0"), "matrix error queue empty")
check("10205" in matrix.query(":ROUT:CLOS:CARD? 1"), "closed relays listed")
matrix.write(":ROUTE:CLOSE (@19999)")
check(matrix.query(":SYST:ERR?").startswith("-222"), "out-of-range channel queued as -222")

analyzer = socket(analyzer_port)
check("B1500" in analyzer.query("*IDN?"), "analyzer identifies")
analyzer.write("FMT 1,0;AAD 1,1;AAD 2,1;CN 1,2,3,4,5")
check(analyzer.query("ERRX?").startswith("+0"), "FMT and CN accepted")
analyzer.write("DV 1,0,2.5,1E-4;DV 2,0,0.2,1E-3")
reply = analyzer.query("TI 2")
check(reply.startswith("NBI+") and float(reply[3:]) > 0, "spot current through the routed cell: " + reply)
analyzer.timeout = 300
analyzer.write("TI 9")
try:
    analyzer.read()
    check(False, "a refused query must not be answered")
except pyvisa.errors.VisaIOError:
    print("ok refused query unanswered")
analyzer.timeout = 2000
queued = analyzer.query("ERRX?")
check(int(queued.split(",")[0]) == 121, "its error is queued for ERRX?: " + queued)
check(analyzer.query("*ESR?") == "32", "the refused query set the command-error bit of *ESR?")
check(analyzer.query("*ESR?") == "0", "*ESR? clears the register")

vxi = rm.open_resource("TCPIP0::127.0.0.1::gpib0,17::INSTR")
vxi.read_termination = "\n"
vxi.timeout = 2000
check("B1500" in vxi.query("*IDN?"), "analyzer over VXI-11 (gpib0,17)")
vxi.write("MM 1,2")
check(vxi.query("XE").startswith("NBI"), "XE over VXI-11")
vxi.clear()
check(vxi.query("ERRX?").startswith("+0"), "device_clear then ERRX?")
vxi.close()
inst0 = rm.open_resource("TCPIP0::127.0.0.1::inst0::INSTR")
check("B1500" in inst0.query("*IDN?"), "analyzer over VXI-11 (inst0)")
inst0.close()
mvxi = rm.open_resource("TCPIP0::127.0.0.1::gpib0,22::INSTR")
check("B2200A" in mvxi.query("*IDN?"), "matrix over VXI-11 (gpib0,22)")
mvxi.close()
# PyVISA's own default write termination is CR LF; the instruments take LF (and the CR before it)
for port, line, ask, expect in ((analyzer_port, "FMT 11,0;CN 2", "ERRX?", "+0"),
                                (matrix_port, ":ROUT:OPEN:CARD ALL;:ROUT:CLOS (@10101)", ":SYST:ERR?", "+0"),
                                (prober_port, "Cmd=11:MoveChuckSeparation:", None, "Rsp=11:0")):
    r = rm.open_resource("TCPIP0::127.0.0.1::%d::SOCKET" % port)
    r.read_termination = "\n"
    r.timeout = 2000
    check(r.write_termination == "\r\n", "pyvisa's default write termination is CR LF")
    r.write(line)
    reply = r.read() if ask is None else r.query(ask)
    check(reply.startswith(expect), "'%s' + CR LF accepted on port %d: %s" % (line, port, reply))
    r.close()
for r in (prober, matrix, analyzer):
    r.close()
print("all checks passed")
