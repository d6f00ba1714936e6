"""Runs against the dashboard as production runs it: the fault soak (`make soak`) and the load run
(`make load`).

Both start their own sandbox and a gunicorn dashboard on free loopback ports (`loadtests.site`), drive
it over HTTP as staff would (`loadtests.staff`), and stop everything they started.
"""
