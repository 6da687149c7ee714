"""CI's gate on the quick suite: every backend available here verifies.

usage: gate.py RESULTS.json BACKENDS.json EXIT_STATUS WALL_S BOUND_S

RESULTS.json is the quick suite's results, BACKENDS.json what `shootout list --json`
printed, EXIT_STATUS the run's exit status (1 when a cell failed), WALL_S the run's wall
time and BOUND_S the quick profile's bound. Prints every failed cell first with its reason,
then every unavailable backend in one loud line each, then the skipped cells, then a
closing line; exits 1 when any available backend failed a cell or verified none, when a
verified trial's checksum differs from its expected checksum, or when the run did not
complete. A run over the time bound is a warning, not a failure (the machine is shared).
"""

import json
import sys


def label(cell):
    params = ", ".join(f"{k}={v}" for k, v in sorted(cell["params"].items()))
    return f"{cell['backend']} {cell['workload']} ({params}; W={cell['threads']})"


def main(results_path, backends_path, status, wall_s, bound_s):
    results = json.load(open(results_path))
    backends = json.load(open(backends_path))
    cells = results["cells"]
    problems = []

    failed = [c for c in cells if c["status"] == "failed"]
    for cell in failed:
        print(f"FAILED  {label(cell)}: {cell['reason']}")
    problems += [f"{len(failed)} failed cell(s)"] if failed else []

    available = []
    for backend in backends:
        if backend["unavailable"]:
            print(f"!!! UNAVAILABLE ON THIS MACHINE: {backend['name']}: "
                  f"{backend['unavailable']} (not verified by this run)")
        else:
            available.append(backend["name"])
    verified = {c["backend"] for c in cells if c["status"] == "ok"}
    for name in available:
        if name not in verified:
            print(f"FAILED  {name}: available here but verified no cell of the quick suite")
            problems.append(f"{name} verified nothing")

    for cell in cells:
        for trial in cell.get("trials", []):
            record = trial.get("record") or {}
            if record.get("verified") and record.get("checksum") != record.get("expected_checksum"):
                print(f"FAILED  {label(cell)} trial {trial['index']}: verified with checksum "
                      f"{record.get('checksum')} against expected {record.get('expected_checksum')}")
                problems.append("a verified checksum differs from its expected one")

    skipped = [c for c in cells if c["status"] == "skipped"]
    for cell in skipped:
        print(f"skipped {label(cell)}: {cell['reason']}")

    if not results["complete"]:
        problems.append("the run did not complete")
    if status not in (0, 1) or (status == 1) != bool(failed):
        problems.append(f"the run exited {status} with {len(failed)} failed cell(s)")

    ok = sum(c["status"] == "ok" for c in cells)
    print(f"quick suite: {ok} cells ok, {len(failed)} failed, {len(skipped)} skipped; "
          f"backends verified: {len(verified)} of {len(available)} available "
          f"({len(backends)} registered)")
    if wall_s > bound_s:
        print(f"!!! WARNING: the quick suite took {wall_s:.0f} s, over its {bound_s:.0f} s bound "
              f"(a warning, not a failure: this machine is shared)")
    else:
        print(f"quick suite wall time: {wall_s:.0f} s (bound {bound_s:.0f} s)")
    if problems:
        print("quick suite gate FAILED: " + "; ".join(dict.fromkeys(problems)))
        return 1
    return 0


if __name__ == "__main__":
    path, backends, status, wall, bound = sys.argv[1:6]
    sys.exit(main(path, backends, int(status), float(wall), float(bound)))
