"""The sandbox's heaviest page: 250 phone numbers of the seed's bulk profile, over keep-alive HTTP.

200 requests from one `requests.Session` walk the profile's 21 pages in turn against a freshly
started sandbox (after 20 warm-up requests). Value: the median wall time of one request in ms,
which must stay far below a real Telnyx round trip (tens of ms) so that dashboard benchmarks
measure the dashboard, not the sandbox.
"""

import statistics
import time

import requests

from devservers.sandbox_process import SandboxProcess

REQUESTS = 200
WARM_UP = 20
TARGET_MS = 20


def main() -> None:
    with SandboxProcess() as sandbox:
        acme = sandbox.profile_named("Acme Bulk Notifications")
        url = f"{sandbox.api_url}/messaging_profiles/{acme['id']}/phone_numbers"
        with requests.Session() as session:
            session.headers.update(sandbox.headers)
            timings = []
            for index in range(WARM_UP + REQUESTS):
                started = time.perf_counter()
                response = session.get(
                    url, params={"page[size]": 250, "page[number]": 1 + index % 21}, timeout=30
                )
                elapsed = (time.perf_counter() - started) * 1000
                response.raise_for_status()
                if len(response.json()["data"]) != 250:
                    raise RuntimeError("expected full pages of 250 numbers")
                if index >= WARM_UP:
                    timings.append(elapsed)
    timings.sort()
    median = statistics.median(timings)
    p90 = timings[int(len(timings) * 0.9)]
    print(
        f"{REQUESTS} requests for a 250-number page: median {median:.2f} ms, p90 {p90:.2f} ms, "
        f"min {timings[0]:.2f} ms, {len(response.content)} bytes"
    )
    print(f"BENCH sandbox_phone_numbers_page_250_ms value={median:.2f} target<={TARGET_MS}")


if __name__ == "__main__":
    main()
