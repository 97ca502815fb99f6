"""Server time to check one ALTCHA solution and spend it, as the sign form does.

Run by sign_bench.py in a process of its own, with the bench's production settings and
database; prints the medians, in microseconds, of the time it takes and of the CPU time this
process spends on it (the rest is waiting for the database). Solutions are made for
challenges whose counter is chosen here, so no proof of work is needed to get them.
"""

import statistics
import sys
import time

import django

django.setup()

from altcha import Payload, solve_challenge  # noqa: E402
from altcha_django import build_challenge  # noqa: E402

from signatures.captcha import AltchaField  # noqa: E402


def main(count):
    field = AltchaField()
    payloads = []
    for counter in range(count):
        challenge = build_challenge(counter=counter)
        payloads.append(Payload(challenge, solve_challenge(challenge, counter_start=counter)))
    wall, cpu = [], []
    for payload in payloads:
        encoded = payload.to_base64()
        started, started_cpu = time.perf_counter(), time.process_time()
        field.clean(encoded)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    print(f"{statistics.median(wall) * 1e6:.0f} {statistics.median(cpu) * 1e6:.0f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
