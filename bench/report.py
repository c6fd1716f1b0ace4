"""The benchmark's Markdown report (results/benchmark.md) and the few lines printed at the end."""

from __future__ import annotations

import math

from bench.load import Phase
from bench.procs import MACHINE, OTHERS
from bench.profile import Profile
from bench.results import P50_TARGET, SCALING_TARGET, Run, Side, ratio

DASH = "–"


def num(value: float | None, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return DASH
    return f"{value:,.{digits}f}"


def times(value: float) -> str:
    return DASH if math.isnan(value) else f"{value:.2f}×"


def verdict(ok: bool) -> str:
    return "**met**" if ok else "**not met**"


def render(run: Run) -> str:
    parts = [
        "# Benchmark: our assistant beside Rasa's starter assistant",
        _meta(run),
        _targets(run),
        _latency(run),
        _throughput(run),
        _resources(run),
        _profiles(run),
        _method(run),
    ]
    return "\n\n".join(part.strip() for part in parts) + "\n"


def _meta(run: Run) -> str:
    meta = run.meta
    return (
        f"Run {meta.get('started', '?')} to {meta.get('finished', '?')} ({meta.get('duration', '?')}) on this machine "
        f"({meta.get('machine', '?')}; load average {meta.get('load_before', '?')} before, {meta.get('load_after', '?')} after). "
        f"Rasa {meta.get('rasa', '?')}, Locust {meta.get('locust', '?')}, py-spy {meta.get('py_spy', '?')}. "
        f"Each load phase ran {meta.get('phase_seconds', '?')} s. Both assistants ran in the same run, their phases "
        "alternating, so the **ratios** hold on a noisy, shared machine even when the absolute figures move."
    )


def _targets(run: Run) -> str:
    rows = ["## Targets", "", "| target | measured | |", "|---|---|---|"]
    for users in run.concurrency:
        r = run.p50_ratio(users)
        label = "sequential" if users == 1 else f"{users} concurrent conversations"
        rows.append(
            f"| question answers p50 ≤ {P50_TARGET}× the starter's ({label}) | {times(r)} | {verdict(r <= P50_TARGET)} |"
        )
    for side in (run.ours, run.starter):
        s = side.scaling()
        rows.append(
            f"| {side.name}: two replicas ≥ {SCALING_TARGET}× one replica's throughput | {times(s)} | {verdict(s >= SCALING_TARGET)} |"
        )
    return "\n".join(rows) + "\n\n" + _scaling_why(run)


def _cores(cpu: dict[str, float]) -> dict[str, float | None]:
    """A phase's CPU, grouped as the report shows it (cores busy on average)."""
    has_actions = any(k.startswith("actions") for k in cpu)
    return {
        "Rasa replicas": sum(v for k, v in cpu.items() if k.startswith("rasa")),
        "action servers": sum(v for k, v in cpu.items() if k.startswith("actions")) if has_actions else None,
        "Locust": cpu.get("Locust"),
        "PostgreSQL": cpu.get("PostgreSQL"),
        "Redis": cpu.get("Redis"),
        "other processes": cpu.get(OTHERS),
        "whole machine": cpu.get(MACHINE),
    }


def per_core(phase: Phase) -> float:
    """Messages answered per second of Rasa CPU: if this holds steady from one replica to two,
    replicas scale with the CPU they get, and any shortfall is cores, not contention between them."""
    cores = _cores(phase.cpu)["Rasa replicas"] or 0.0
    return phase.throughput / cores if cores else math.nan


def _scaling_why(run: Run) -> str:
    one, two = run.ours.throughput.get(1), run.ours.throughput.get(2)
    if not one or not two or run.ours.scaling() >= SCALING_TARGET:
        return ""
    a, b = _cores(one.cpu), _cores(two.cpu)
    ours_rest = (b["whole machine"] or 0) - (b["Rasa replicas"] or 0) - (b["other processes"] or 0)
    # Two replicas can at most double one; less if our own stack and Locust leave them under 2 cores.
    ceiling = min(2.0, (2 - ours_rest) / a["Rasa replicas"]) if a["Rasa replicas"] else math.nan
    return (
        f"Why two replicas reach only {times(run.ours.scaling())} in this run. The replicas scale with the CPU "
        f"they get: per second of Rasa CPU they answered {num(per_core(one), 1)} messages with one replica and "
        f"{num(per_core(two), 1)} with two, so they do not hold each other up (the shared stores and the Redis "
        f"lock cost little: PostgreSQL {num(b['PostgreSQL'], 2)} cores, Redis {num(b['Redis'], 2)}). What they "
        f"lack is cores. One replica is one Python process answering one message at a time, and used "
        f"{num(a['Rasa replicas'], 2)} cores; {SCALING_TARGET}× needs about {num(SCALING_TARGET * (a['Rasa replicas'] or 0), 1)} "
        f"cores for two. In the two-replica phase the machine was {num(b['whole machine'], 2)} of 2 cores busy and "
        f"the replicas got {num(b['Rasa replicas'], 2)}: other processes (mostly other people's test runs on this "
        f"shared machine) took {num(b['other processes'], 2)}, and the action servers, stores, Locust and the kernel "
        f"{num(ours_rest, 2)}. With nothing else running, these 2 cores would allow about {times(ceiling)} at "
        "best (2 cores less what our own stack and Locust used, over one replica's share, and never more than "
        "2×), and only with the load generator on the same cores. Replicas are meant to get a core each, on separate pods or machines "
        "(docs/deployment.md), which is where they add throughput."
    )


def _latency_row(kind: str, users: int, ours: Phase | None, starter: Phase | None) -> str:
    label = "sequential" if users == 1 else f"{users} concurrent"
    cells = [
        f"{kind}, {label}",
        num(ours.p50) if ours else DASH,
        num(ours.p95) if ours else DASH,
        num(starter.p50) if starter else DASH,
        num(starter.p95) if starter else DASH,
        times(ratio(ours, starter, "p50")),
        times(ratio(ours, starter, "p95")),
        f"{ours.answered} / {ours.failed}" if ours else DASH,
        f"{starter.answered} / {starter.failed}" if starter else DASH,
    ]
    return "| " + " | ".join(cells) + " |"


def _latency(run: Run) -> str:
    rows = [
        "## Latency per message (REST channel, milliseconds)",
        "",
        "Laptop mode for both (conversations in memory, each assistant's default). Questions: ours are the "
        "catalogue's questions (`spec/topics.yml` `asks`), the starter's its own NLU examples (greetings, moods, "
        "goodbyes), five messages to a conversation. Intake turns (ours only: the starter has no form) are the "
        "intake answers of the end-to-end tests, from the opening message to the read-back; every one calls the "
        "action server.",
        "",
        "| load | ours p50 | ours p95 | starter p50 | starter p95 | p50 ratio | p95 ratio | ours: answered / failed | starter: answered / failed |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for users in run.concurrency:
        rows.append(
            _latency_row(
                "questions",
                users,
                run.ours.latency.get(f"question {users}"),
                run.starter.latency.get(f"question {users}"),
            )
        )
    for users in run.concurrency:
        rows.append(_latency_row("intake turns", users, run.ours.latency.get(f"intake {users}"), None))
    silent = sum(phase.silent for phase in run.starter.latency.values())
    rows += [
        "",
        'Failed messages (not HTTP 200, an empty reply from ours, or "please try again in a moment") are left '
        'out of the percentiles. The starter answers some of its own examples ("yes", "no" out of '
        "context) with nothing, by design: such silent replies count as answered, since the whole pipeline ran"
        + (f" ({silent} in this run)." if silent else " (none in this run)."),
    ]
    return "\n".join(rows)


def _throughput(run: Run) -> str:
    o, s = run.ours.throughput, run.starter.throughput
    rows = [
        "## Throughput (answered messages per second, shared stores)",
        "",
        f"Production mode for both: conversations in PostgreSQL (Rasa's SQL tracker store), locks in Redis, "
        f"{run.throughput_users} concurrent conversations of questions. With two replicas each conversation "
        "stays on one replica (round-robin by conversation, no proxy); ours has one action server per replica.",
        "",
        "| | ours | starter | ours / starter |",
        "|---|---:|---:|---:|",
    ]
    for replicas in (1, 2):
        a, b = o.get(replicas), s.get(replicas)
        r = a.throughput / b.throughput if a and b and b.throughput else math.nan
        rows.append(
            f"| {replicas} replica{'s' if replicas > 1 else ''} | {num(a.throughput if a else None, 1)} | {num(b.throughput if b else None, 1)} | {times(r)} |"
        )
    rows.append(f"| two / one | {times(run.ours.scaling())} | {times(run.starter.scaling())} | |")
    rows += ["", "Where the cores went in each phase (cores busy on average; the machine has 2):", ""]
    rows += _cpu_table(run)
    return "\n".join(rows)


def _cpu_table(run: Run) -> list[str]:
    phases = [
        (f"{side.name}, {n} replica{'s' if n > 1 else ''}", side.throughput[n])
        for side in (run.ours, run.starter)
        for n in (1, 2)
        if n in side.throughput
    ]
    if not phases:
        return []
    names = [*_cores(phases[0][1].cpu), "messages per Rasa CPU-second"]
    rows = ["| phase | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    for label, phase in phases:
        cells = [num(v, 2) for v in _cores(phase.cpu).values()] + [num(per_core(phase), 1)]
        rows.append(f"| {label} | " + " | ".join(cells) + " |")
    return rows


def _rss_rows(ours: Side, starter: Side) -> list[str]:
    rows = []
    for title, mine, theirs_by_name in (
        ("resident memory", ours.rss, starter.rss),
        ("production mode", ours.replica_rss, starter.replica_rss),
    ):
        for name, (now, peak) in mine.items():
            theirs = theirs_by_name.get(name)
            other = f"{num(theirs[0])} / {num(theirs[1])}" if theirs else DASH
            ratio_cell = times(now / theirs[0]) if theirs and theirs[0] else ""
            rows.append(
                f"| {title}, {name} (MiB, after load / peak) | {num(now)} / {num(peak)} | {other} | {ratio_cell} |"
            )
    return rows


def _resources(run: Run) -> str:
    o, s = run.ours, run.starter
    rows = [
        "## Memory, start-up, training, model size",
        "",
        "| | ours | starter | ours / starter |",
        "|---|---:|---:|---:|",
        *_rss_rows(o, s),
        f"| cold start to first answer (s) | {num(o.cold_start, 1)} | {num(s.cold_start, 1)} | {times(o.cold_start / s.cold_start)} |",
        _training_row(o, s),
        f"| model size (MB) | {num(o.model_bytes / 1e6, 1)} | {num(s.model_bytes / 1e6, 1)} | {times(o.model_bytes / max(s.model_bytes, 1))} |",
        "",
        "Cold start: from the Rasa server's exec (its start time in /proc) to the reply to its first message, "
        "which includes loading the model and TensorFlow's first run; the launcher polls every 0.5 s, so either "
        "figure may be up to half a second long. Resident memory is VmRSS (after the load phases) and VmHWM (peak).",
        "",
        f"Training: ours, {o.training_note}; the starter, {s.training_note}.",
    ]
    return "\n".join(rows)


def _training_row(o: Side, s: Side) -> str:
    a = o.training.seconds if o.training else math.nan
    b = s.training.seconds if s.training else math.nan
    return f"| training (s) | {num(a)} | {num(b)} | {times(a / b)} |"


def _profile_columns(run: Run) -> list[tuple[str, Profile, Phase]]:
    titles = {"question": "a question", "intake": "an intake turn"}
    return [
        (f"{side.name}: {titles.get(kind, kind)}", profile, phase)
        for side in (run.ours, run.starter)
        for kind, (profile, phase) in side.profiles.items()
    ]


def _ms(share: float, phase: Phase) -> float:
    """A share of the sampled time as milliseconds per message (sequential load: one message at a time)."""
    return share * 1000 / phase.throughput if phase.throughput else math.nan


def _profiles(run: Run) -> str:
    columns = _profile_columns(run)
    rows = [
        "## Where the time goes (py-spy on the Rasa server)",
        "",
        "py-spy sampled the running Rasa server 100 times a second during a sequential load (one member at a "
        "time, so the server works on one message at a time), idle samples included. Each sample is charged to "
        "the innermost component on its stack (bench/profile.py): TensorFlow under DIET counts as DIET, jsonschema "
        "under Rasa's check of a custom action's reply counts as that check. Milliseconds per message are the "
        "share of the server's time times the average time between messages.",
        "",
    ]
    if not columns:
        return "\n".join(
            [*rows, "Not profiled in this run: " + "; ".join(v for k, v in run.meta.items() if k.startswith("profile"))]
        )
    rows.append("| ms per message (share) | " + " | ".join(title for title, _, _ in columns) + " |")
    rows.append("|---|" + "---:|" * len(columns))
    rows.append(
        "| **one message, end to end (p50)** | " + " | ".join(f"**{num(phase.p50)}**" for _, _, phase in columns) + " |"
    )
    labels = list(dict.fromkeys(label for _, profile, _ in columns for label, _ in profile.shares))
    for label in labels:
        shares = [dict(profile.shares).get(label, 0.0) for _, profile, _ in columns]
        if max(shares) < 0.005:
            continue
        cells = [
            f"{num(_ms(share, phase), 1)} ({share:.0%})" if share >= 0.005 else DASH
            for share, (_, _, phase) in zip(shares, columns, strict=True)
        ]
        rows.append(f"| {label} | " + " | ".join(cells) + " |")
    rows += ["", "Single functions, with everything they call:", ""]
    for label in columns[0][1].spotlight:
        cells = [f"{num(_ms(p.spotlight[label], ph), 1)} ms ({p.spotlight[label]:.0%}) {t}" for t, p, ph in columns]
        rows.append(f"- {label}: " + "; ".join(cells) + ".")
    rows += ["", "Most time in themselves (self time):", ""]
    for title, profile, _ in columns:
        rows.append(f"- {title}: " + "; ".join(f"`{name}` {share:.0%}" for name, share in profile.hottest[:5]) + ".")
    return "\n".join(rows)


def _method(run: Run) -> str:
    return f"""
## How it was measured

- `make benchmark` (scripts/benchmark.sh, then `python -m bench.run`). Load from Locust, headless, in its own
  venv (`.bench-venv`, from `bench/requirements.lock`); every request's time is recorded (bench/locustfile.py),
  so the percentiles are exact nearest-rank values over answered messages, and throughput counts the messages
  answered inside each phase's window.
- A simulated member sends the next message as soon as the reply arrives (no think time), and starts a new
  conversation (a new sender id) when the script runs out. "Sequential" is one member; 8 and 32 are that many
  members at once. A reply that is not HTTP 200, empty, or the assistant's "please try again in a moment"
  counts as failed and is left out of the percentiles.
- Both assistants are started by the end-to-end tests' launcher (tests/support/stack.py). Ours: the Rasa server
  with models/current.tar.gz, the action server, a delivery worker and the local webhook receiver. The
  starter: `rasa init --no-prompt` in a temporary folder, trained in this run, one Rasa server (its actions
  file is empty). Before the load, each intake script is played once and every reply checked to ask the
  expected question.
- Throughput: {run.throughput_users} members for each phase; production mode on dedicated PostgreSQL databases
  (created and dropped by the run) and Redis (keys under a prefix of the run's own). CPU per process is read
  from /proc every half second and taken over the load's own window (bench/procs.py).
- Everything runs on 127.0.0.1, and the load generator shares the 2 cores with the servers: the figures are
  for comparison on this machine, not capacity planning.
"""


def key_lines(run: Run) -> list[str]:
    """The numbers printed at the end of `make benchmark`."""
    lines = []
    for users in run.concurrency:
        o, s = run.ours.latency.get(f"question {users}"), run.starter.latency.get(f"question {users}")
        if o and s:
            lines.append(
                f"questions x{users}: ours p50 {o.p50:.0f} ms p95 {o.p95:.0f} ms | starter p50 {s.p50:.0f} ms p95 {s.p95:.0f} ms | p50 ratio {run.p50_ratio(users):.2f}"
            )
    for users in run.concurrency:
        o = run.ours.latency.get(f"intake {users}")
        if o:
            lines.append(f"intake turns x{users}: ours p50 {o.p50:.0f} ms p95 {o.p95:.0f} ms")
    for side in (run.ours, run.starter):
        t = side.throughput
        if 1 in t and 2 in t:
            lines.append(
                f"throughput {side.name}: 1 replica {t[1].throughput:.1f}/s, 2 replicas {t[2].throughput:.1f}/s ({side.scaling():.2f}x)"
            )
    lines.append(f"cold start: ours {run.ours.cold_start:.1f} s, starter {run.starter.cold_start:.1f} s")
    return lines


if __name__ == "__main__":  # render a report again from its figures: python -m bench.report results/benchmark.json
    import sys
    from pathlib import Path

    from bench.results import load

    source = Path(sys.argv[1] if len(sys.argv) > 1 else "results/benchmark.json")
    source.with_suffix(".md").write_text(render(load(source)))
    print(f"wrote {source.with_suffix('.md')}")
