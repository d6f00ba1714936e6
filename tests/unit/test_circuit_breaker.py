"""telnyx_admin.circuit_breaker: open on a failure, refuse for a while, then let one caller try."""

from __future__ import annotations

import logging
import time

import pytest

from telnyx_admin.circuit_breaker import CircuitBreaker


class Refused(Exception):
    pass


def breaker(seconds: float = 0.2) -> CircuitBreaker:
    return CircuitBreaker(seconds=seconds, name="Thing", refusal=Refused, log_field="thing_circuit")


def test_a_closed_breaker_lets_every_call_through():
    circuit = breaker()
    for _ in range(3):
        circuit.before_call()
    assert not circuit.is_open


def test_a_failure_refuses_calls_until_the_time_is_up_then_lets_one_try():
    circuit = breaker(seconds=0.2)
    circuit.failed(TimeoutError())

    with pytest.raises(Refused, match="Thing is skipped"):
        circuit.before_call()
    time.sleep(0.25)
    circuit.before_call()  # this caller tries...
    with pytest.raises(Refused):
        circuit.before_call()  # ...and the others keep skipping meanwhile


def test_an_answer_closes_it_and_another_failure_opens_it_again():
    circuit = breaker(seconds=0.05)
    circuit.failed(TimeoutError())
    time.sleep(0.06)
    circuit.before_call()

    circuit.succeeded()
    circuit.before_call()
    assert not circuit.is_open

    circuit.failed(ConnectionError())
    with pytest.raises(Refused):
        circuit.before_call()


def test_opening_and_closing_are_logged_once_each_with_the_callers_field(caplog):
    caplog.set_level(logging.INFO, logger="telnyx_admin.circuit_breaker")
    circuit = breaker()

    for _ in range(5):
        circuit.failed(TimeoutError())
    for _ in range(5):
        circuit.succeeded()

    states = [getattr(record, "thing_circuit", None) for record in caplog.records]
    assert states == ["open", "closed"]
    assert "Thing unreachable (TimeoutError); skipping it for 0.2 s" in caplog.records[0].getMessage()
