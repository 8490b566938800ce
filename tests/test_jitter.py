"""kehu.rules.jitter: a small shift per customer and period, the same every time it is asked."""

import subprocess
import sys
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from kehu.rules.jitter import DEFAULT_SPREAD, jitter_days


@given(st.integers(1, 10**9) | st.text(max_size=20), st.integers(0, 10**6), st.integers(0, 10))
def test_within_the_spread_and_the_same_when_asked_again(customer, period, spread):
    shift = jitter_days(customer, period, spread=spread)
    assert -spread <= shift <= spread
    assert jitter_days(customer, period, spread=spread) == shift


def test_default_is_three_days_either_way():
    assert DEFAULT_SPREAD == 3
    assert {jitter_days(customer, 0) for customer in range(200)} == set(range(-3, 4))


def test_no_spread_no_shift():
    assert {jitter_days(customer, 5, spread=0) for customer in range(100)} == {0}


def test_the_same_in_another_process_whatever_its_hash_seed():
    here = [jitter_days(customer, period) for customer in range(20) for period in range(5)]
    code = (
        "from kehu.rules.jitter import jitter_days;"
        "print([jitter_days(c, p) for c in range(20) for p in range(5)])"
    )
    for seed in ("1", "2"):
        out = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
        ).stdout
        assert out.strip() == str(here)


PINNED_42 = [-3, 3, -3, 0, -3, 3]


def test_pinned_values_so_a_change_of_hash_is_noticed():
    # Changing these reshuffles every tier-A customer's keep-in-touch day at once.
    assert [jitter_days(42, period) for period in range(6)] == PINNED_42


def test_spread_evenly_over_customers_and_over_periods():
    by_customer = Counter(jitter_days(customer, 3) for customer in range(7000))
    assert all(800 <= by_customer[shift] <= 1200 for shift in range(-3, 4)), by_customer
    by_period = Counter(jitter_days(17, period) for period in range(7000))
    assert all(800 <= by_period[shift] <= 1200 for shift in range(-3, 4)), by_period


def test_a_customer_is_not_shifted_the_same_way_every_period():
    for customer in range(50):
        assert len({jitter_days(customer, period) for period in range(12)}) >= 3
