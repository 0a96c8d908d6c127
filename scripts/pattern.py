"""Prints the SW2 table of `scripts/reproduce` and checks the pattern the issues ask for.

Every dataset: one Euler step of flow matching is at least 10 times worse than 128 steps (the
collapse onto the data mean); one shortcut step is at least 5 times better than the same network
used as a one-step Euler sampler, and 4 shortcut steps are no worse than 1 (within 10%); one
consistency step (cd and ct) is within 3 times the SW2 of 128 flow-matching Euler steps; one
MeanFlow step is at least 5 times better than the same network's Euler step at h = 0, and 2 and
4 MeanFlow steps are no worse than 1 (within 10%). 8gaussians, moons and checkerboard also have
the issues' upper bounds.

With `--write FILE` (scripts/reproduce passes it when it runs every dataset) it also writes the
main sampler's SW2 of each method and dataset, as printed, into FILE: the Swift table
(`ReferenceQuality`) from which `bench --time-to-quality` takes its targets.
"""
import json
import os
import sys
import tempfile

BOUNDS = {  # issue 2 (fm euler K=128), issue 3 (shortcut K=1, K=4, cd K=1, ct K=1), issue 9 (meanflow K=1)
    "8gaussians": {"fm128": 0.09, "sc1": 0.16, "sc4": 0.11, "cd1": 0.10, "ct1": 0.12, "mf1": 0.20},
    "moons": {"fm128": 0.05, "sc1": 0.14, "sc4": 0.09, "cd1": 0.10, "ct1": 0.09, "mf1": 0.18},
    "checkerboard": {"fm128": 0.11, "sc1": 0.18, "sc4": 0.14, "cd1": 0.13, "ct1": 0.16, "mf1": 0.25},
}


def sw2(folder, method, dataset, sampler, steps):
    with open(f"{folder}/{method}-{dataset}.json") as f:
        rows = json.load(f)["rows"]
    return next(r["sw2"] for r in rows if r["sampler"] == sampler and r["steps"] == steps)


MAIN = [("fm", "fm128"), ("shortcut", "sc1"), ("cd", "cd1"), ("ct", "ct1"), ("meanflow", "mf1")]


def swift_table(values):
    """The Swift source of `ReferenceQuality`: SW2 of the main sampler per dataset and method."""
    rows = "\n".join(
        f'        "{d}": [' + ", ".join(f".{m}: {round(v[key], 3):.3f}" for m, key in MAIN) + "],"
        for d, v in values.items()
    )
    return f"""// Written by scripts/reproduce (scripts/pattern.py --write); do not edit by hand.

/// The README's 20,000-iteration results (`scripts/reproduce`: seed 0, one thread, 4,096 samples):
/// the SW2 of each method's main sampler (fm Euler K=128, the others one step), per dataset, to
/// three decimals as the README prints them. `TimeToQuality.target` is 1.25 times these.
public enum ReferenceQuality {{
    public static let sw2: [String: [Method: Double]] = [
{rows}
    ]
}}
"""


def main(folder, datasets, write=None):
    print("| dataset | floor | fm euler K=1 | fm euler K=128 | shortcut K=1 | shortcut K=4 | shortcut as euler K=1 "
          "| cd K=1 | ct K=1 | meanflow K=1 | meanflow K=4 | meanflow as euler K=1 | pattern |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    failures = []
    values = {}
    for d in datasets:
        with open(f"{folder}/fm-{d}.json") as f:
            floor = json.load(f)["floor"]["sw2"]
        v = {
            "fm1": sw2(folder, "fm", d, "euler", 1), "fm128": sw2(folder, "fm", d, "euler", 128),
            "sc1": sw2(folder, "shortcut", d, "shortcut", 1), "sc4": sw2(folder, "shortcut", d, "shortcut", 4),
            "sce1": sw2(folder, "shortcut", d, "euler", 1),
            "cd1": sw2(folder, "cd", d, "consistency", 1), "ct1": sw2(folder, "ct", d, "consistency", 1),
            "mf1": sw2(folder, "meanflow", d, "meanflow", 1), "mf2": sw2(folder, "meanflow", d, "meanflow", 2),
            "mf4": sw2(folder, "meanflow", d, "meanflow", 4), "mfe1": sw2(folder, "meanflow", d, "euler", 1),
        }
        values[d] = v
        checks = {
            "fm K=1 >= 10x fm K=128": v["fm1"] >= 10 * v["fm128"],
            "shortcut K=1 >= 5x better than its euler K=1": 5 * v["sc1"] <= v["sce1"],
            "shortcut K=4 <= 1.1 x shortcut K=1": v["sc4"] <= 1.1 * v["sc1"],
            "cd K=1 <= 3x fm K=128": v["cd1"] <= 3 * v["fm128"],
            "ct K=1 <= 3x fm K=128": v["ct1"] <= 3 * v["fm128"],
            "meanflow K=1 >= 5x better than its euler K=1": 5 * v["mf1"] <= v["mfe1"],
            "meanflow K=2 and K=4 <= 1.1 x meanflow K=1": max(v["mf2"], v["mf4"]) <= 1.1 * v["mf1"],
        }
        for key, bound in BOUNDS.get(d, {}).items():
            checks[f"{key} <= {bound}"] = v[key] <= bound
        bad = [name for name, ok in checks.items() if not ok]
        failures += [f"{d}: {name}" for name in bad]
        cells = " | ".join(f"{v[k]:.3f}" for k in ["fm1", "fm128", "sc1", "sc4", "sce1", "cd1", "ct1", "mf1", "mf4", "mfe1"])
        print(f"| {d} | {floor:.3f} | {cells} | {'ok' if not bad else 'FAIL'} |")
    print()
    print("\n".join(f"FAIL: {f}" for f in failures) if failures else f"pattern holds on {len(datasets)} datasets")
    if write:
        # A temporary file created exclusively beside the target, then renamed over it.
        with tempfile.NamedTemporaryFile("w", dir=os.path.dirname(write) or ".", delete=False) as f:
            f.write(swift_table(values))
        os.replace(f.name, write)
        print(f"wrote the reference table to {write}")
    return 1 if failures else 0


if __name__ == "__main__":
    args = sys.argv[1:]
    write = None
    if args[:1] == ["--write"]:
        write, args = args[1], args[2:]
    sys.exit(main(args[0], args[1:], write))
