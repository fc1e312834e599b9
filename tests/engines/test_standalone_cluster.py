"""The docker-less topology: a standalone master and a worker from the pip package on
127.0.0.1, a Connect server attached to it, askgres's Spark engine using it as `remote`;
the answer matches local Spark's on the shared warehouse."""

from __future__ import annotations

import os

import sqlglot

from askgres.engines.spark.cluster import StandaloneCluster
from askgres.engines.spark.config import SparkConfig
from askgres.engines.spark.engine import SparkEngine

QUERY = "SELECT dept, count(*) AS n, sum(qty) AS q FROM people p JOIN orders o ON o.person_id = p.id " \
        "GROUP BY dept ORDER BY dept"


def test_query_on_master_plus_worker_matches_local_spark(tmp_path, fixture_warehouse, spark_session):
    expected = spark_session.execute(sqlglot.parse_one(QUERY, read="postgres")).reader.read_all()
    with StandaloneCluster(tmp_path / "cluster", workers=1, worker_memory="1g",
                           executor_memory="512m", driver_memory="768m",
                           warehouse=fixture_warehouse) as cluster:
        assert cluster.alive_workers() == 1
        assert cluster.state.connect_url.startswith("sc://127.0.0.1:")
        engine = SparkEngine(SparkConfig(enabled=True, remote=cluster.state.connect_url,
                                         warehouse=str(fixture_warehouse)))
        session = engine.session()
        try:
            actual = session.execute(sqlglot.parse_one(QUERY, read="postgres")).reader.read_all()
        finally:
            session.close()
        pids = dict(cluster.state.pids)
    assert actual.to_pylist() == expected.to_pylist()
    assert len(expected) >= 3
    for pid in pids.values():  # stop() ended every process
        try:
            os.kill(pid, 0)
            alive = True
        except ProcessLookupError:
            alive = False
        assert not alive, f"process {pid} still running"
