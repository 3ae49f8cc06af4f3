"""Fault drills (`make drill-faults`): worker killed mid-job, Redis and PostgreSQL restarted."""
