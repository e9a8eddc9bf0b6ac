#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""How the expected figures of test-erlang.c were computed.

From first principles, with mpmath at high precision, and without the
recursions or the incomplete gamma function the engine uses:

- Erlang B and C by the direct sums of their definitions, with exact
  factorials;
- Erlang A (M/M/N+M) from its birth-death chain truncated K places past N,
  and a tagged caller's absorbing chain (served or abandoned): P(wait) and
  abandonment from the stationary law, the service level from the chain's
  matrix exponential at t, the average waits from its fundamental matrix.

Not run by the tests (mpmath is no dependency of Citydesk): run it by hand,
`python3 tests/erlang-reference.py`, after `pip install mpmath`. The Erlang A
cases take about two minutes.
"""

from mpmath import mp, mpf, factorial, exp, matrix, lu_solve, expm

mp.dps = 40


def erlang_b(a, n):
    a = mpf(a)
    return a**n / factorial(n) / sum(a**k / factorial(k) for k in range(n + 1))


def erlang_c(a, n):
    a = mpf(a)
    top = a**n / factorial(n) * n / (n - a)
    return top / (sum(a**k / factorial(k) for k in range(n)) + top)


def erlang_c_figures(calls, interval, aht, t, n):
    a = mpf(calls) * aht / interval
    c = erlang_c(a, n)
    return {"load": a, "B": erlang_b(a, n), "C": c,
            "service level": 1 - c * exp(-(n - a) * mpf(t) / aht),
            "ASA all": c * aht / (n - a), "ASA queued": mpf(aht) / (n - a),
            "occupancy": a / n}


def erlang_a_figures(calls, interval, aht, t, patience, n, k=120):
    lam = mpf(calls) / interval
    mu = 1 / mpf(aht)
    theta = 1 / mpf(patience)
    w = [mpf(1)]
    for m in range(1, n + k + 1):
        w.append(w[-1] * lam / (min(m, n) * mu + max(m - n, 0) * theta))
    p = [v / sum(w) for v in w]
    wait = sum(p[n:])
    abandonment = theta * sum((m - n) * p[m] for m in range(n, len(p))) / lam
    # The tagged caller with j callers ahead, j = 0 … k − 1.
    q = matrix(k, k)
    served_rate = [mpf(0)] * k
    for j in range(k):
        q[j, j] = -(n * mu + j * theta + theta)
        if j >= 1:
            q[j, j - 1] = n * mu + j * theta
    served_rate[0] = n * mu
    p0 = [p[n + j] / wait for j in range(k)]
    served = lu_solve(-q, matrix(served_rate))
    served_q = sum(p0[j] * served[j] for j in range(k))
    occupation = lu_solve((-q).T, matrix(p0))
    waited_served = sum(occupation[j] * served[j] for j in range(k))
    e = expm(q * t)
    still = [sum(p0[i] * e[i, j] for i in range(k)) for j in range(k)]
    within = served_q - sum(still[j] * served[j] for j in range(k))
    offered = (1 - wait) + wait * within
    a = lam / mu
    return {"wait": wait, "abandonment": abandonment,
            "abandonment (tagged)": wait * (1 - served_q),
            "service level of offered": offered,
            "service level of answered": offered / (1 - abandonment),
            "ASA all": wait * waited_served / (1 - abandonment),
            "ASA queued": waited_served / served_q,
            "occupancy": a * (1 - abandonment) / n}


def erlang_a_large():
    """12,345 Erlangs on 12,000 agents, patience 2 minutes: the stationary
    law summed directly to N + 6,000."""
    lam = mpf(123450) / 3600
    mu = 1 / mpf(360)
    theta = 1 / mpf(120)
    n = 12000
    w = mpf(1)
    total = tail = queue = mpf(0)
    for m in range(n + 6000):
        if m > 0:
            w = w * lam / (min(m, n) * mu + max(m - n, 0) * theta)
        total += w
        if m >= n:
            tail += w
            queue += (m - n) * w
    abandonment = theta * queue / total / lam
    return {"wait": tail / total, "abandonment": abandonment,
            "occupancy": lam * (1 - abandonment) / mu / n}


def show(title, figures):
    print(title)
    for name, value in figures.items():
        print("  %-28s %s" % (name, mp.nstr(value, 17)))


if __name__ == "__main__":
    for agents in (53, 54, 55, 56, 57):
        show("360 calls / 30 min, AHT 240 s, 20 s, %d agents" % agents,
             erlang_c_figures(360, 1800, 240, 20, agents))
    show("Erlang B and C, 12,345 Erlangs on 12,421 agents",
         {"B": erlang_b(12345, 12421), "C": erlang_c(12345, 12421)})
    show("Erlang A, 12,345 Erlangs on 12,000 agents, patience 120 s", erlang_a_large())
    mp.dps = 30
    for case in ((360, 1800, 240, 20, 120, 50), (360, 1800, 240, 20, 60, 40),
                 (30, 3600, 300, 40, 180, 3), (100, 900, 180, 30, 90, 20)):
        show("Erlang A, calls %d / %d s, AHT %d s, t %d s, patience %d s, %d agents" % case,
             erlang_a_figures(*case))
