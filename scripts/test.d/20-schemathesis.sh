# Sourced by scripts/test.sh: schemathesis (PyPI) in a venv, for the collector's OpenAPI conformance
# test. Idempotent. Exports CLASSROOMFLEET_SCHEMATHESIS (the executable the Swift test runs).
if [ ! -x /tmp/cf-venv/bin/schemathesis ]; then
  python3 -m venv /tmp/cf-venv
  /tmp/cf-venv/bin/pip install -q schemathesis
fi
export CLASSROOMFLEET_SCHEMATHESIS=/tmp/cf-venv/bin/schemathesis
echo "schemathesis: $("$CLASSROOMFLEET_SCHEMATHESIS" --version)"
