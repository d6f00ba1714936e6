"""The fault soak: staff sessions through the dashboard while Telnyx, the network and the database fail.

    python -m loadtests.soak [--duration 90] [--support 3] [--managers 1] [--auditors 1] [--database auto]

Starts a sandbox, a FaultProxy in front of it, and the dashboard under gunicorn pointed at the proxy
(`loadtests.site`, with a 2 s Telnyx read timeout). Scripted staff sign in and work through the real
pages (`workers`): support staff create, edit and delete profiles and bind, unbind and tag short codes;
account managers change spend limits; auditors browse and export the audit log; everyone browses.
For the whole run a fault cycle (`faults`) moves the sandbox through 5xx, 429 bursts, dropped
connections and latency, makes the proxy lose the answers of writes the sandbox applied (dropped at
once, or held past the read timeout) and sometimes the read-backs after them, and, on PostgreSQL,
ends the dashboard's database connections every few seconds and while writes are in flight
(`database`). On SQLite there are no server connections to end; the report line says so.

Afterwards, faults off, it runs `manage.py reconcile_writes` and checks (`checks`) what staff were
told, what the sandbox really applied (the proxy saw every answer, `truth`) and the audit log against
each other: no 500s; saved means applied; "not applied" and refusals mean nothing was applied; no
create exists twice and no change was applied twice; every applied write has its audit entry with
outcome `success` and every `success` was applied; no entry is left `unknown` but undecidable ones; no
entry nobody caused; the sandbox holds what the last applied writes set; no API key anywhere.

The last line printed sums it up (`report`):

    soak: writes attempted N, applied at Telnyx N, audited N, duplicated 0, unresolved 0; ... OK

Exit status 1 (and FAIL with the violations listed above the line) if anything fails.
"""

from loadtests.soak.checks import Checked, verify
from loadtests.soak.faults import FAULT_PHASES
from loadtests.soak.ledger import Ledger, Write
from loadtests.soak.report import SoakReport
from loadtests.soak.run import SOAK_ENV, main, run_soak

__all__ = [
    "FAULT_PHASES",
    "SOAK_ENV",
    "Checked",
    "Ledger",
    "SoakReport",
    "Write",
    "main",
    "run_soak",
    "verify",
]
