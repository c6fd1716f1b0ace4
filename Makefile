# The two commands: `make run` (the product) and `make test` (every test).
.PHONY: run test shell train benchmark
run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

shell:
	bash scripts/shell.sh

train:
	bash -c '. scripts/common.sh && setup_venv && train_if_needed'

benchmark:
	bash scripts/benchmark.sh
