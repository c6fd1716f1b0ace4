"""Print intent and response-selection accuracy from `rasa test nlu` and fail below a minimum."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def _accuracy(report_file: Path) -> tuple[float, int]:
    report = json.loads(report_file.read_text())
    support = int(report.get("weighted avg", {}).get("support", 0))
    return float(report["accuracy"]), support


def _worst(report_file: Path, n: int = 5) -> list[str]:
    report = json.loads(report_file.read_text())
    rows = [
        (v["f1-score"], k, v["support"])
        for k, v in report.items()
        if isinstance(v, dict) and "f1-score" in v and k not in ("macro avg", "weighted avg", "micro avg")
    ]
    return [f"{name} f1={f1:.2f} (n={support})" for f1, name, support in sorted(rows)[:n]]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("results", type=Path)
    parser.add_argument("--min-accuracy", type=float, default=0.9)
    args = parser.parse_args()
    failed = False
    for label, name in (("intent", "intent_report.json"), ("response selection", "response_selection_report.json")):
        path = args.results / name
        if not path.exists():
            print(f"missing {path}")
            return 1
        accuracy, support = _accuracy(path)
        status = "ok" if accuracy >= args.min_accuracy else "BELOW TARGET"
        print(f"held-out {label} accuracy: {accuracy:.3f} on {support} examples ({status})")
        print("  weakest: " + "; ".join(_worst(path)))
        failed |= accuracy < args.min_accuracy
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
