"""One pooled Session per process, shared safely by every thread."""

import concurrent.futures
import threading

import pytest

from telnyx_admin import __version__
from telnyx_admin.telnyx import errors, profiles, session


def test_every_thread_gets_the_same_session():
    seen = []

    def grab():
        seen.append(session.get_session())

    threads = [threading.Thread(target=grab) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(session) for session in seen}) == 1
    assert seen[0] is session.get_session()


def test_the_pool_keeps_enough_connections(settings):
    settings.TELNYX_EXPORT_CONCURRENCY = 8
    session.reset_session()
    adapter = session.get_session().get_adapter("https://api.telnyx.com/v2")
    assert adapter._pool_maxsize >= 8 + 8  # gunicorn's default 8 threads + one export
    session.reset_session()


def test_threads_share_it_without_crosstalk(telnyx_settings, sandbox, settings):
    settings.TELNYX_MAX_RETRIES = 6
    ids = [p.id for p in profiles.list_profiles(page_size=50)]
    sandbox.set_faults(error_rate=0.5, error_status=503)  # every thread keeps hitting retries

    def retrieve(profile_id):
        try:
            return profiles.retrieve_profile(profile_id=profile_id).id
        except errors.ApiUnavailable:
            return None  # unlucky: every attempt landed on a failing slot

    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(retrieve, ids * 4))
    answered = [(asked, got) for asked, got in zip(ids * 4, results, strict=True) if got is not None]
    assert all(asked == got for asked, got in answered), "a thread received another thread's answer"
    assert len(answered) >= 0.8 * len(results)
    assert sandbox.stats()["faults"]["error"] >= len(results) // 2


def test_it_names_itself_and_sends_the_key_per_call(settings, html_server):
    settings.TELNYX_API_BASE_URL = html_server.base_url
    settings.TELNYX_API_KEY = "key-one"
    settings.TELNYX_MAX_RETRIES = 0
    html_server.status = 200
    for key in ("key-one", "key-two"):
        settings.TELNYX_API_KEY = key
        with pytest.raises(errors.UnexpectedStatus):  # an HTML page is no list of profiles
            profiles.list_profiles()
    first, second = html_server.headers
    assert first["User-Agent"] == f"telnyx-admin/{__version__}"
    assert first["Accept"] == "application/json"
    assert (first["Authorization"], second["Authorization"]) == ("Bearer key-one", "Bearer key-two")
    assert "Authorization" not in session.get_session().headers


def test_cookies_from_any_answer_are_dropped(settings, html_server):
    settings.TELNYX_API_BASE_URL = html_server.base_url
    settings.TELNYX_MAX_RETRIES = 0
    html_server.status = 200
    for _ in range(2):
        with pytest.raises(errors.UnexpectedStatus):  # an HTML page is no list of profiles
            profiles.list_profiles()
    assert len(session.get_session().cookies) == 0
    assert all("Cookie" not in headers for headers in html_server.headers)
