"""How well the trained assistant understands the held-out messages, and where it is weak.

    python scripts/nlu_report.py --model models/current.tar.gz [--nlu tests/nlu] [--out results/nlu]
        [--baseline docs/nlu-baseline.json] [--min-accuracy 0.95] [--write-baseline FILE]

Every message in the held-out files (never trained on) is parsed by the model
exactly as the running assistant parses it, and what the assistant would then do
is what its NLU pipeline decided (`bot.understanding`, in the pipeline as
`rasa_addons.answer_choice`): answer, ask "did you mean", or say it did not understand. Printed, per file and overall, with the baseline
beside each figure (measured on the model before semantic features; the
baseline file names its commit):

- intent accuracy (the top intent, as `rasa test nlu` counts it) and response
  selection accuracy (the topic, for catalogue questions);
- in-scope messages answered with a WRONG topic or intent (a "did you mean" is
  not wrong), how often "did you mean" fires, and how often it saved a wrong answer;
- out-of-scope recall (out-of-scope messages answered as out of scope), and how
  many got a confident catalogue answer; other-language recall;
- the most confused pairs.

Fails (exit 1) when intent or response selection accuracy on the repository's
original held-out files (heldout_core, heldout_faq, heldout_menu, heldout_checkups)
is below --min-accuracy. Writes every prediction to OUT/predictions.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.understanding import DID_YOU_MEAN, FALLBACK, Candidate  # noqa: E402

CORE_FILES = ("heldout_core.yml", "heldout_faq.yml", "heldout_menu.yml", "heldout_checkups.yml")
OUT_OF_SCOPE = "out_of_scope"
OTHER_LANGUAGE = "other_language"


@dataclass
class Prediction:
    file: str
    text: str
    label: str  # "faq/<topic>" or an intent
    intent: str  # the classifiers' top intent (after the language and safety steps)
    topic: str | None  # the selector's top topic ("faq/<topic>")
    decision: str  # answer / did_you_mean / unsure
    answered: str | None  # what the assistant would answer with: "faq/<topic>", an intent, or None
    options: list[str]


def examples(folder: Path) -> list[tuple[str, str, str]]:
    """(file, label, text) for every held-out example."""
    found = []
    for path in sorted(folder.glob("*.yml")):
        for item in (yaml.safe_load(path.read_text()) or {}).get("nlu") or []:
            if "intent" not in item:
                continue
            for line in str(item["examples"]).splitlines():
                if line.strip().startswith("- "):
                    found.append((path.name, item["intent"], line.strip()[2:].strip()))
    return found


def _label_intent(label: str) -> str:
    return label.split("/", 1)[0]


def predict(model: Path, cases: list[tuple[str, str, str]]) -> list[Prediction]:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    logging.disable(logging.WARNING)
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    import structlog

    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))

    async def run() -> list[Prediction]:
        out = []
        for file, label, text in cases:
            parse = await agent.parse_message(text)
            # The classifiers' top intent (with the language and safety steps), before any fallback or question.
            ranking = [i for i in parse.get("intent_ranking") or [parse.get("intent") or {}] if i.get("name") != FALLBACK]
            top = ranking[0].get("name") if ranking else None
            selector = ((parse.get("response_selector") or {}).get("faq") or {}).get("response") or {}
            # What the dialogue acts on: the final intent (after the choice, language and safety steps).
            final = (parse.get("intent") or {}).get("name")
            decision = {DID_YOU_MEAN: "did_you_mean", FALLBACK: "unsure"}.get(final, "answer")
            answered = None if decision != "answer" else selector.get("intent_response_key") if final == "faq" else final
            options = [Candidate(o["intent"], o["confidence"], o.get("topic")).key for o in parse.get(DID_YOU_MEAN) or []]
            out.append(Prediction(file, text, label, top or "", selector.get("intent_response_key"), decision, answered, options))
        return out

    return asyncio.run(run())


def summarise(predictions: list[Prediction]) -> dict:
    """The figures for a set of predictions (see the module docstring)."""
    n = len(predictions)
    intent_right = sum(p.intent == _label_intent(p.label) for p in predictions)
    faq = [p for p in predictions if p.label.startswith("faq/")]
    topic_right = sum(p.topic == p.label for p in faq)
    in_scope = [p for p in predictions if p.label not in (OUT_OF_SCOPE, OTHER_LANGUAGE)]
    wrong = [p for p in in_scope if p.decision == "answer" and p.answered != p.label]
    asked = [p for p in in_scope if p.decision == "did_you_mean"]
    saved = [p for p in asked if p.intent != _label_intent(p.label) or (p.label.startswith("faq/") and p.topic != p.label)]
    oos = [p for p in predictions if p.label == OUT_OF_SCOPE]
    foreign = [p for p in predictions if p.label == OTHER_LANGUAGE]
    return {
        "examples": n,
        "intent_accuracy": intent_right / n if n else None,
        "response_selection_accuracy": topic_right / len(faq) if faq else None,
        "faq_examples": len(faq),
        "in_scope": len(in_scope),
        "wrong_answer_rate": len(wrong) / len(in_scope) if in_scope else None,
        "did_you_mean_rate": len(asked) / len(in_scope) if in_scope else None,
        "did_you_mean_saved": len(saved),
        "did_you_mean_offered_the_right_one": sum(p.label in p.options for p in asked),
        "out_of_scope": len(oos),
        "out_of_scope_recall": sum(p.answered == OUT_OF_SCOPE for p in oos) / len(oos) if oos else None,
        "out_of_scope_given_a_topic": sum((p.answered or "").startswith("faq/") for p in oos),
        "other_language": len(foreign),
        "other_language_recall": sum(p.answered == OTHER_LANGUAGE for p in foreign) / len(foreign) if foreign else None,
    }


def confused_pairs(predictions: list[Prediction], n: int = 12) -> list[tuple[str, str, int]]:
    pairs = Counter(
        (p.label, p.answered or p.decision) for p in predictions if p.decision != "did_you_mean" and p.answered != p.label
    )
    return [(a, b, k) for (a, b), k in pairs.most_common(n)]


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def _line(name: str, now: dict, before: dict | None) -> str:
    def both(key: str) -> str:
        then = (before or {}).get(key)
        return f"{_pct(now.get(key))}" + (f" (was {_pct(then)})" if before is not None else "")

    return (
        f"  {name}: {now['examples']} examples; intent {both('intent_accuracy')}, topic {both('response_selection_accuracy')}, "
        f"wrong answers {both('wrong_answer_rate')}, did-you-mean {both('did_you_mean_rate')}, "
        f"out-of-scope recall {both('out_of_scope_recall')}, other-language recall {both('other_language_recall')}"
    )


def report(predictions: list[Prediction], baseline: dict | None) -> dict:
    groups: dict[str, list[Prediction]] = defaultdict(list)
    for p in predictions:
        groups[p.file].append(p)
    groups["original held-out (" + ", ".join(f.removesuffix(".yml") for f in CORE_FILES) + ")"] = [
        p for p in predictions if p.file in CORE_FILES
    ]
    groups["all held-out"] = predictions
    summaries = {name: summarise(items) for name, items in groups.items()}
    before = (baseline or {}).get("summaries", {})
    if baseline:
        print(f"Baseline: {baseline.get('description', '')}")
    for name, summary in summaries.items():
        print(_line(name, summary, before.get(name) if baseline else None))
    overall = summaries["all held-out"]
    print(f"  did-you-mean saved {overall['did_you_mean_saved']} wrong answers; offered the right one "
          f"{overall['did_you_mean_offered_the_right_one']} times; out-of-scope messages given a catalogue answer: "
          f"{overall['out_of_scope_given_a_topic']} of {overall['out_of_scope']}")
    print("Most confused (label -> what the assistant did):")
    for label, got, k in confused_pairs(predictions):
        print(f"  {k:3d}  {label} -> {got}")
    if baseline and baseline.get("confused"):
        print("Most confused in the baseline:")
        for label, got, k in baseline["confused"][:6]:
            print(f"  {k:3d}  {label} -> {got}")
    return summaries


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "current.tar.gz")
    parser.add_argument("--nlu", type=Path, default=ROOT / "tests" / "nlu")
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "nlu")
    parser.add_argument("--baseline", type=Path, default=ROOT / "docs" / "nlu-baseline.json")
    parser.add_argument("--min-accuracy", type=float, default=0.95)
    parser.add_argument("--write-baseline", type=Path, help="save these figures as a baseline file")
    parser.add_argument("--description", default="", help="with --write-baseline: what the baseline model is")
    args = parser.parse_args()
    started = time.monotonic()
    predictions = predict(args.model, examples(args.nlu))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "predictions.json").write_text(json.dumps([asdict(p) for p in predictions], indent=1))
    baseline = json.loads(args.baseline.read_text()) if args.baseline and args.baseline.exists() else None
    print(f"Held-out NLU ({len(predictions)} messages, {time.monotonic() - started:.0f} s):")
    summaries = report(predictions, baseline)
    if args.write_baseline:
        args.write_baseline.write_text(json.dumps(
            {"description": args.description, "summaries": summaries, "confused": confused_pairs(predictions)}, indent=1
        ) + "\n")
    core = summaries[next(k for k in summaries if k.startswith("original held-out"))]
    failed = [
        f"{key} {_pct(core[key])} < {_pct(args.min_accuracy)}"
        for key in ("intent_accuracy", "response_selection_accuracy")
        if core[key] is not None and core[key] < args.min_accuracy
    ]
    for problem in failed:
        print(f"BELOW TARGET on the original held-out set: {problem}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
