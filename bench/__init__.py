"""The benchmark (`make benchmark`): our assistant against Rasa's starter assistant, same load, same run.

The orchestrator (`bench.run`) runs in the project's venv, because it starts the
servers with the launcher the end-to-end tests use; the load generator (Locust,
`bench/locustfile.py`) and the profiler (py-spy) run from `.bench-venv`, built
from `bench/requirements.lock`, so the product's lock never carries them.
"""
