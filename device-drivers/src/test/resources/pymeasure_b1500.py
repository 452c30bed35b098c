"""PyMeasure's AgilentB1500 (Debian python3-pymeasure) drives the rramlab B1500 emulator.

usage: pymeasure_b1500.py ANALYZER_PORT MATRIX_PORT PROBER_PORT
The matrix and the prober are set with plain pyvisa so a cell is under the SMUs; everything the
analyzer receives comes from PyMeasure: *LRN? on construction, UNT? (module query), FMT, CN, AAD,
AIT, DV (force), MM 1 + XE (spot measurement, read back with read_channels), PAD (parallel
measurement, read back with *LRN? 110), ERRX? (error check).
Prints one line per check; exits non-zero with the failed check on stderr.
"""
import sys

from emulator_session import check, socket
from pymeasure.instruments.agilent.agilentB1500 import AgilentB1500

analyzer_port, matrix_port, prober_port = (int(a) for a in sys.argv[1:4])


# PyMeasure 0.9 (Debian) cannot start on an instrument in FMT 1, the B1500's power-on format: its
# FMT1 formatter takes the SMU names for the format name. So the format is FMT 11 before it starts.
raw = socket(analyzer_port)
raw.write("FMT 11,0")
check(raw.query("ERRX?").startswith("+0"), "FMT 11 set before PyMeasure starts")
raw.close()

b1500 = AgilentB1500("TCPIP0::127.0.0.1::%d::SOCKET" % analyzer_port, read_termination="\n", write_termination="\n",
                     timeout=5000, visa_library="@py")
check("B1500" in b1500.id, "identity: " + b1500.id)
modules = b1500.query_modules()
check(modules == {1: "HRSMU", 2: "HRSMU", 3: "HRSMU"}, "UNT? lists the station's SMUs: %s" % modules)
b1500.initialize_all_smus()
b1500.data_format(11, mode=0)
gate, bit = b1500.smu1, b1500.smu2
for smu in (gate, bit):
    smu.enable()
    smu.adc_type = "HRADC"
check(str(bit.adc_type) == "ADCType.HRADC" or int(bit.adc_type) == 1, "AAD read back through *LRN? 55: %s" % bit.adc_type)
b1500.adc_setup("HRADC", "PLC", 1)
b1500.check_errors()

# no die under the probes yet: an open circuit, a current near zero
gate.force("Voltage", 0, 2.5, 1e-4)
bit.force("Voltage", 0, 0.2, 1e-3)
b1500.meas_mode("SPOT", bit)
b1500.send_trigger()
status, channel, name, open_amps = b1500.read_channels(1)[0]
check(status == "N" and abs(open_amps) < 1e-12, "open circuit reads near zero: %s %s %g" % (status, channel, open_amps))

prober = socket(prober_port)
prober.write("FCN=1:RegisterProberApp:pymeasure test 0")
prober.read()
check(prober.query("Cmd=1:StepFirstDie:0 1").startswith("Rsp=1:0:"), "first die")
check(prober.query("Cmd=2:MoveChuckContact:") == "Rsp=2:0", "probes down")
matrix = socket(matrix_port)
# cell (0, 0) of a 4 x 4 array with the standard wiring, auto mode: WL0 = output 1, BL0 = 5, SL0 = 9
matrix.write(":ROUT:FUNC ACON;:ROUT:OPEN:CARD ALL;:ROUT:CLOS (@00101,00205,01209)")
check(matrix.query("*OPC?") == "1" and matrix.query(":SYST:ERR?").startswith("+0"), "cell routed")

b1500.send_trigger()
status, channel, name, amps = b1500.read_channels(1)[0]
check(status == "N" and channel == "SMU2" and 1e-9 < amps < 1e-2, "spot current of the cell: %s %s %s %g" % (status, channel, name, amps))
print("conductance %g S" % (amps / 0.2))

# the parallel mode (PAD, read back through *LRN? 110) with the bit SMU on the high-speed ADC
bit.adc_type = "HSADC"
b1500.adc_setup("HSADC", "PLC", 1)
b1500.parallel_meas = True
check(b1500.parallel_meas is True, "PAD 1 read back through *LRN? 110")
b1500.send_trigger()
status, channel, name, fast_amps = b1500.read_channels(1)[0]
check(status == "N" and abs(fast_amps - amps) <= abs(amps) * 0.05, "the same cell in parallel mode: %g (%g before)" % (fast_amps, amps))
b1500.parallel_meas = False
check(b1500.parallel_meas is False, "PAD 0 read back")

# an error: a channel with no module; PyMeasure's check_errors raises with the instrument's code
b1500.write("CN 9")
try:
    b1500.check_errors()
    check(False, "CN 9 must be refused")
except IOError as e:
    check("121" in str(e), "error check reports the instrument's code: %s" % e)
b1500.check_errors()
print("all checks passed")
