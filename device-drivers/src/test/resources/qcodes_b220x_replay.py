"""Replays, over pyvisa-py, the exact lines QCoDeS's KeysightB220X driver sends (it is not packaged
for Debian, so its command sequences are replayed: auto configuration mode, card 0, LF terminated)
against the rramlab matrix emulator, and checks the replies the B2200A User's Guide gives.

usage: qcodes_b220x_replay.py MATRIX_PORT
"""
import sys

from emulator_session import check, socket

port = int(sys.argv[1])
m = socket(port)


def polled(line):
    """QCoDeS's post_execution_status_poll: *CLS, the command, then *ESR? (non-zero means an error)."""
    m.write("*CLS")
    m.write(line)
    return int(m.query("*ESR?"))


check("B2200A" in m.query("*IDN?"), "connect_message: *IDN?")
# QCoDeS assumes the auto configuration mode; a matrix left in normal mode refuses card 0
check(m.query(":ROUT:FUNC?") == "NCON", "power-on configuration mode is normal")
esr = polled(":CLOS (@00205)")
check(esr & 16 == 16, "card 0 in normal mode is an execution error (*ESR? %d)" % esr)
check(m.query(":SYST:ERR?").startswith("-222"), "its error is -222 Data out of range")
m.write(":ROUT:FUNC ACON")  # the front-panel setting QCoDeS's driver needs
check(m.query(":ROUT:FUNC?") == "ACON", "auto configuration mode")

# connection_rule: get (polled), then set (polled)
m.write("*CLS")
check(m.query(":CONN:RULE? 0") == "FREE", "connection_rule() is free at power-on")
check(int(m.query("*ESR?")) == 0, "no error")
check(polled(":CONN:RULE 0,SROU") == 0, "connection_rule('single')")
m.write("*CLS")
check(m.query(":CONN:RULE? 0") == "SROU", "connection rule read back")
m.query("*ESR?")
check(polled(":CONN:RULE 0,FREE") == 0, "connection_rule('free')")
m.write(":CONN:SEQ 0,BBM")
check(m.query(":CONN:SEQ? 0") == "BBM", "connection_sequence('bbm')")
m.write(":CONN:SEQ 0,MBBR")
check(m.query(":CONN:SEQ? 0") == "MBBR", "connection_sequence('mbb')")

# connect / connect_paths / connections / disconnect_paths / disconnect / disconnect_all
check(polled(":CLOS (@00205)") == 0, "connect(2, 5)")
check(polled(":CLOS (@00341,01448)") == 0, "connect_paths([(3, 41), (14, 48)]): outputs beyond 12 exist in auto mode")
check(m.query(":CLOS:CARD? 0") == "(@00205,00341,01448)", "connections: the closed channels of card 0")
check(polled(":OPEN (@00341,01448)") == 0, "disconnect_paths")
check(polled(":OPEN (@00205)") == 0, "disconnect(2, 5)")
check(polled(":CLOS (@00101,00212)") == 0, "connect_paths again")
check(polled(":OPEN:CARD 0") == 0, "disconnect_all")
check(m.query(":CLOS:CARD? 0") == "(@)", "nothing closed")
esr = polled(":CLOS (@01549)")
check(esr & 16 == 16 and m.query(":SYST:ERR?").startswith("-222"), "output 49 does not exist on 4 cards")

# bias and ground modes
m.write(":BIAS:PORT 0,10")
check(m.query(":BIAS:PORT? 0") == "10", "bias_input_port")
m.write(":BIAS 0,1")
check(m.query(":BIAS? 0") == "1", "bias_mode(True)")
m.write(":BIAS 0,0")
check(m.query(":BIAS? 0") == "0", "bias_mode(False)")
m.write(":AGND:PORT 0,12")
check(m.query(":AGND:PORT? 0") == "12", "gnd_input_port")
m.write(":AGND 0,1")
check(m.query(":AGND? 0") == "1", "gnd_mode(True)")
m.write(":AGND:UNUSED 0,'5, 6'")
check(m.query(":AGND:UNUSED? 0") == "'5,6'", "unused_inputs")
check(polled(":AGND:CHAN:ENAB (@00105)") == 0, "gnd_enable_output(5)")
check(m.query(":AGND:CHAN:ENAB? (@00105,00106)") == "1,0", "ground-enabled outputs read back")
check(polled(":AGND:CHAN:DIS (@00105)") == 0, "gnd_disable_output(5)")
check(polled(":AGND:CHAN:ENAB:CARD 0") == 0, "gnd_enable_all_outputs")
check(polled(":AGND:CHAN:DIS:CARD 0") == 0, "gnd_disable_all_outputs")
check(polled(":BIAS:CHAN:ENAB (@00107)") == 0, "bias_enable_output(7)")
check(polled(":BIAS:CHAN:DIS (@00107)") == 0, "bias_disable_output(7)")
check(polled(":BIAS:CHAN:ENAB:CARD 0") == 0, "bias_enable_all_outputs")
check(polled(":BIAS:CHAN:DIS:CARD 0") == 0, "bias_disable_all_outputs")
m.write(":AGND 0,0")

# couple mode
m.write(":COUP:PORT 0,'1, 3'")
check(m.query(":COUP:PORT? 0") == "'1,3'", "couple_ports")
m.write(":COUP 0,1")
check(m.query(":COUP? 0") == "1", "couple_mode(True)")
m.write(":COUP 0,0")
m.write(":COUP:PORT:DET")
check(m.query(":SYST:ERR?").startswith("+0"), "couple_port_autodetect accepted")
m.write("*RST")
check(m.query(":CLOS:CARD? 0") == "(@)", "reset opens every relay")
m.close()
print("all checks passed")
