"""The shared call budget: a bucket never lets more through than its burst plus its rate."""

from __future__ import annotations

import threading

from cloudconnectors.providers.rate_limit import TokenBucket, bucket


def test_threads_sharing_a_bucket_wait_for_tokens() -> None:
    shared = TokenBucket(rate=200.0, burst=5)
    threads = [threading.Thread(target=lambda: [shared.take() for _ in range(5)])
               for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert shared.taken == 20
    assert shared.waited > 0  # 15 of the 20 had to wait for the rate


def test_a_named_bucket_is_one_per_process_and_follows_new_settings() -> None:
    first = bucket("test:shared", 5.0)
    again = bucket("test:shared", 7.0)
    assert first is again and again.rate == 7.0
    unlimited = TokenBucket(rate=0, burst=1)
    for _ in range(100):
        unlimited.take()
    assert unlimited.waited == 0
