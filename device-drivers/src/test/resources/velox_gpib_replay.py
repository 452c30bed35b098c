"""Replays the command sequences of the Velox GPIB scripts labs publish (plain lines, no Cmd=
frame; the reply is "code: values") against the rramlab prober emulator over pyvisa-py.

usage: velox_gpib_replay.py PROBER_PORT DIES
"""
import sys

from emulator_session import check, socket

port, dies = int(sys.argv[1]), int(sys.argv[2])
p = socket(port)


def ask(line):
    r = p.query(line)
    code, _, values = r.partition(":")
    return int(code), values.split()


check(len(p.query("*IDN?")) > 0, "identity asked first, as the scripts do")
code, v = ask("StepFirstDie")
check(code == 0 and len(v) >= 3, "StepFirstDie: code then column, row, subsite")
first = (int(v[0]), int(v[1]))
seen = [first]
for _ in range(4 * dies + 10):  # bounded: a prober that never reports the end fails here
    code, v = ask("StepNextDie")
    if code == 703:
        break
    check(code == 0, "StepNextDie steps along the route")
    seen.append((int(v[0]), int(v[1])))
check(code == 703, "the route ends with code 703")
check(len(seen) == dies, "the route has the wafer's %d dies: %s" % (dies, seen))
check(len({c for c, r in seen}) > 1 and len({r for c, r in seen}) > 1, "the map is two-dimensional")
col, row = seen[-1]
code, v = ask("StepNextDie %d %d" % (col, row))
check(code == 0 and (int(v[0]), int(v[1])) == (col, row), "GoToXY: StepNextDie Column Row")
code, v = ask("StepNextDie 0 0")
check(code != 0, "a corner off the wafer is refused (code %d)" % code)
code, v = ask("ReadChuckPosition")
check(code == 0 and len(v) == 3, "ReadChuckPosition: x y z")
check(ask("MoveChuckContact")[0] == 0, "MoveChuckContact")
check(ask("MoveChuckSeparation")[0] == 0, "MoveChuckSeparation")
p.close()
print("all checks passed")
