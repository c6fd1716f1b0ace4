"""scripts/progress.py, which shows a long step (installing, training, Rasa's tests) on the console.

A stand-in for `rasa train` prints what Rasa prints (a deprecation warning, Rasa's
coloured UserWarning, the training hooks' "Starting to train component" records, tqdm
epoch bars), so these run in seconds; tests/scripts/test_make_run_stops.py runs the
real thing.
"""

from __future__ import annotations

import json
import os
import pty
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

PROGRESS = Path(__file__).resolve().parents[2] / "scripts" / "progress.py"

FAKE_TRAINING = r'''
import sys, time, warnings
warnings.warn("pkg_resources is deprecated as an API", DeprecationWarning, stacklevel=1)
sys.stderr.write("\x1b[93m/x/io.py:100: UserWarning: duplicated intents: faq\n\x1b[0m")
def record(text):
    print("2026-12-01 10:00:00 INFO     rasa.engine.training.hooks  - " + text, file=sys.stderr, flush=True)
record("Starting to train component 'DIETClassifier'.")
for i in range(1, 5):
    sys.stderr.write(f"\rEpochs:  {i * 25}%|##  | {i}/4 [00:0{i}<00:01,  1.00it/s, t_loss=1.2]")
    sys.stderr.flush()
    time.sleep(0.3)
print(file=sys.stderr)
record("Finished training component 'DIETClassifier'.")
record("Starting to train component 'TEDPolicy'.")
time.sleep(1.2)
if "fail" in sys.argv:
    try:
        {}["missing"]
    except KeyError as exc:
        raise RuntimeError("the training data could not be read") from exc
print("Your Rasa model is trained and saved at 'models/current.tar.gz'.")
'''


@pytest.fixture
def fake(tmp_path: Path) -> Path:
    path = tmp_path / "fake_train.py"
    path.write_text(FAKE_TRAINING)
    return path


def progress(tmp_path: Path, *command: str, verbose: bool = False) -> tuple[list[str], dict[str, str]]:
    env = {k: v for k, v in os.environ.items() if k != "VERBOSE"}
    if verbose:
        env["VERBOSE"] = "1"
    return [sys.executable, str(PROGRESS), "--label", "Training the model", "--log", str(tmp_path / "train.log"),
            "--history", str(tmp_path / "training.json"), "--usual", "6-12 minutes on 2 cores", "--", *command], env


def run(tmp_path: Path, *command: str, verbose: bool = False) -> subprocess.CompletedProcess[str]:
    cmd, env = progress(tmp_path, *command, verbose=verbose)
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)


def test_off_a_terminal_it_prints_the_stages_and_keeps_warnings_in_the_log(tmp_path: Path, fake: Path) -> None:
    done = run(tmp_path, sys.executable, str(fake))
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"Training the model: usually 6-12 minutes on 2 cores. Log: {tmp_path / 'train.log'}"
    assert any("NLU: DIETClassifier, epoch" in line for line in lines), lines
    assert any("dialogue policies: TEDPolicy" in line for line in lines), lines
    assert lines[-1].startswith("  done in ") and "2 warnings in the log" in lines[-1], lines
    assert len(lines) <= 5, lines
    assert "Warning" not in done.stdout + done.stderr
    log = (tmp_path / "train.log").read_text()
    assert "DeprecationWarning: pkg_resources" in log and "UserWarning: duplicated intents" in log


def test_the_next_run_estimates_from_the_last_one_on_this_machine(tmp_path: Path, fake: Path) -> None:
    assert run(tmp_path, sys.executable, str(fake)).returncode == 0
    recorded = json.loads((tmp_path / "training.json").read_text())
    assert 1 < recorded["seconds"] < 30 and recorded["cpus"] == os.cpu_count()
    again = run(tmp_path, sys.executable, str(fake))
    assert f"about {recorded['seconds']:.0f}s, as the last time on this machine" in again.stdout.splitlines()[0]
    assert "left)" in again.stdout


def test_a_failure_shows_the_error_in_full_without_the_warnings(tmp_path: Path, fake: Path) -> None:
    failed = run(tmp_path, sys.executable, str(fake), "fail")
    assert failed.returncode == 1
    out = failed.stdout
    assert "Training the model failed after" in out and "(exit status 1)" in out
    for expected in ("Traceback (most recent call last):", "KeyError: 'missing'",
                     "RuntimeError: the training data could not be read", '    {}["missing"]'):
        assert expected in out, out
    assert "Warning" not in out and "Epochs" not in out and "INFO" not in out, out
    assert not (tmp_path / "training.json").exists(), "a failed step is no estimate"


def test_verbose_shows_everything(tmp_path: Path, fake: Path) -> None:
    done = run(tmp_path, sys.executable, str(fake), verbose=True)
    assert done.returncode == 0
    for expected in ("DeprecationWarning: pkg_resources", "UserWarning: duplicated intents", "Epochs:", "INFO"):
        assert expected in done.stdout, done.stdout
    assert "DeprecationWarning" in (tmp_path / "train.log").read_text()


def test_on_a_terminal_it_rewrites_one_line(tmp_path: Path, fake: Path) -> None:
    cmd, env = progress(tmp_path, sys.executable, str(fake))
    master, slave = pty.openpty()
    proc = subprocess.Popen(cmd, env={**env, "TERM": "xterm"}, stdin=slave, stdout=slave, stderr=slave)
    os.close(slave)
    seen = bytearray()
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen.extend(chunk)
    os.close(master)
    assert proc.wait(30) == 0
    text = seen.decode()
    assert "\r\x1b[K  " in text and "NLU: DIETClassifier, epoch " in text, text
    assert text.count("\n") == 2, text  # the first line and "done": everything else rewrote one line


def test_a_signal_stops_the_step_before_the_runner_exits(tmp_path: Path) -> None:
    child_pid = tmp_path / "child.pid"
    script = f"import os, time; open({str(child_pid)!r}, 'w').write(str(os.getpid())); time.sleep(300)"
    cmd, env = progress(tmp_path, sys.executable, "-c", script)
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not child_pid.exists() or not child_pid.read_text():
        assert time.monotonic() < deadline
        time.sleep(0.1)
    proc.send_signal(signal.SIGHUP)
    assert proc.wait(30) == -signal.SIGHUP
    assert not Path(f"/proc/{child_pid.read_text()}").exists()


def test_a_console_whose_reader_has_gone_stops_the_step(tmp_path: Path) -> None:
    child_pid = tmp_path / "child.pid"
    script = (f"import os, sys, time; open({str(child_pid)!r}, 'w').write(str(os.getpid())); time.sleep(2); "
              "print(\"Starting to train component 'TEDPolicy'.\", file=sys.stderr, flush=True); time.sleep(300)")
    cmd, env = progress(tmp_path, sys.executable, "-c", script)
    reader, writer = os.pipe()
    proc = subprocess.Popen(cmd, env=env, stdout=writer, stderr=subprocess.DEVNULL)
    os.close(writer)
    os.read(reader, 100)  # the first line arrived; now the reader goes
    os.close(reader)
    assert proc.wait(60) == -signal.SIGPIPE  # at its next line: the new stage
    assert not Path(f"/proc/{child_pid.read_text()}").exists()


def _progress_module():
    sys.path.insert(0, str(PROGRESS.parent))
    import progress as module

    return module


def test_off_a_terminal_a_half_hour_training_stays_a_short_screen() -> None:
    """The measured first training on a busy 2-core machine took 29 minutes: DIET for 27 of them."""
    module = _progress_module()

    class Screen:
        def __init__(self) -> None:
            self.text = ""

        def write(self, text: str) -> None:
            self.text += text

        def flush(self) -> None:
            pass

    screen = Screen()
    console = module.Console(screen, tty=False, expected=None)  # type: ignore[arg-type]
    stage = module.Stage()
    for second in range(0, 1800):
        if second == 30:
            stage.feed("INFO  rasa.engine.training.hooks  - Starting to train component 'DIETClassifier'.", second)
        if 30 < second < 1620 and second % 20 == 0:
            stage.feed(f"Epochs:  50%|#   | {(second - 30) // 20}/80 [00:01<00:01]", second)
        if second == 1740:
            stage.feed("INFO  rasa.engine.training.hooks  - Starting to train component 'TEDPolicy'.", second)
        console.show(second, stage, second)
    lines = screen.text.splitlines()
    assert len(lines) <= 15, lines
    assert any("NLU: DIETClassifier, epoch" in line and "DIETClassifier: about" in line for line in lines), lines
    assert any("dialogue policies: TEDPolicy" in line for line in lines), lines


def test_the_first_time_the_time_left_comes_from_the_epochs_so_far() -> None:
    stage = _progress_module().Stage()
    stage.feed("Starting to train component 'DIETClassifier'.", 100.0)
    stage.feed("Epochs:  25%|##  | 20/80 [05:00<15:00]", 400.0)
    assert stage.component_left(400.0) == "DIETClassifier: about 15 min more"
