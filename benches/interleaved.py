#!/usr/bin/env python3
"""Whole-process start-up, interleaved: runs each command once per round, in a new random
order every round, so that a drift in the machine's state (other builds, frequency, page
cache) falls on every command alike. Prints the median, IQR and the ratio to the first
command. Usage (benches/README.md, "Start-up"):

    python3 benches/interleaved.py ROUNDS 'jwt decode TOKEN' 'tokdbg decode TOKEN' ...
"""

import os
import random
import shlex
import statistics
import sys
import time


def spawn_and_wait(argv, devnull):
    """Wall time and CPU time (user + system, from wait4) of one run in seconds: posix_spawn
    to reaped, output to /dev/null. CPU time counts only the process's own work, so it shifts
    less than wall time when other jobs share the cores."""
    start = time.perf_counter_ns()
    pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=[
        (os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)])
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter_ns() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{shlex.join(argv)} failed (status {status})")
    return elapsed / 1e9, usage.ru_utime + usage.ru_stime


def main():
    rounds = int(sys.argv[1])
    commands = [shlex.split(c) for c in sys.argv[2:]]
    devnull = os.open(os.devnull, os.O_WRONLY)
    times = [[] for _ in commands]
    cpu = [[] for _ in commands]
    for _ in range(10):  # warm-up: page cache, dynamic loader cache
        for argv in commands:
            spawn_and_wait(argv, devnull)
    for _ in range(rounds):
        order = list(range(len(commands)))
        random.shuffle(order)
        for i in order:
            wall, used = spawn_and_wait(commands[i], devnull)
            times[i].append(wall)
            cpu[i].append(used)
    base, base_cpu = statistics.median(times[0]), statistics.mean(cpu[0])
    for argv, t, c in zip(commands, times, cpu):
        q1, median, q3 = statistics.quantiles(t, n=4)
        label = shlex.join(argv)
        label = label if len(label) <= 50 else label[:30] + "…" + label[-19:]
        # CPU time is counted in scheduler ticks per process: its mean over many runs, not its median.
        print(f"  {label:<50} wall median {median * 1e3:6.3f} ms  IQR [{q1 * 1e3:.3f} .. {q3 * 1e3:.3f}]"
              f"  {median / base:5.3f}x   CPU mean {statistics.mean(c) * 1e3:6.3f} ms"
              f"  {statistics.mean(c) / base_cpu:5.3f}x  (n={len(t)})")


if __name__ == "__main__":
    main()
