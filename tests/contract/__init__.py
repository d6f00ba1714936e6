"""The official telnyx SDK (a test dependency) drives the sandbox: our outside referee."""

import pytest

# Every test of the SDK on one test worker: importing the SDK builds some thousands of pydantic
# classes (0.8 CPU-seconds), which each worker paid that ran one of them. The tests take about 5 s.
SDK_TESTS = pytest.mark.xdist_group("telnyx-sdk")
