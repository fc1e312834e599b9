"""A small fixed Spider dev sample through the real model, with a floor on execution accuracy.

Measured on 2 shared cores with qwen2.5-coder-1.5b: 10/10, p50 29 s under heavy contention, 354 s in all;
the floor leaves a margin below what was measured.
"""

from __future__ import annotations

import pytest

from askgres.engines.duckdb.arrow_runner import arrow_tables_runner
from askgres.llm.evaluate import evaluate


# Fixed dev.json indexes on one small database (one schema prefix to evaluate keeps CI short).
SAMPLE = (1000, 1004, 1007, 1008, 1010, 1013, 1014, 1021, 1022, 1026)
FLOOR = 0.7   # measured 10/10 (2026-11-21, 2 busy cores); margin for drift across builds


@pytest.mark.slow
def test_execution_accuracy_floor(dataset, real_model, nl_config):
    report = evaluate(dataset, make_runner=arrow_tables_runner, indexes=SAMPLE, baseline=False,
                      config=nl_config, model=real_model, log=lambda s: None)
    print(report.table(with_baseline=False))
    correct, total = report.accuracy()["all"]
    assert total == len(SAMPLE)
    wrong = "\n".join(f"{o.question}\n  got: {o.sql or o.error}\n  gold: {o.gold}" for o in report.outcomes
                      if not o.correct)
    assert correct / total >= FLOOR, f"{correct}/{total} correct; wrong:\n{wrong}"
