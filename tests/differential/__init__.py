"""Differential tests: Postgres-dialect queries on a real PostgreSQL and on askgres."""
