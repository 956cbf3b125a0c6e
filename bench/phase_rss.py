#!/usr/bin/env python3
"""Peak RSS and wall time of a flexrecon run, stage by stage.

    bench/phase_rss.py build-rel/flexrecon reconcile --metering M --inventory I --events E --out P --jobs 2

Runs the command on a pseudo-terminal, so flexrecon shows its progress display (one line per
stage: reading, rebuilding, rules, the pack and its k/7 files), samples the child's VmRSS from
/proc every 5 ms, and prints the highest sample seen under each stage's line, with the seconds from the stage's
first line to the next stage's first line. A sampler misses
peaks shorter than 5 ms: `/usr/bin/time -f %M` gives the run's true peak, this where it is.
"""
import os
import pty
import re
import select
import sys
import time

STAGE = re.compile(rb"flexrecon: (reading|read|rebuilding|rebuilt|applying|applied|writing|wrote)[^:\r\n]*(: [0-9]+/[0-9]+)?")
SAME = {"read": "reading", "rebuilt": "rebuilding", "applied": "applying", "wrote": "writing"}


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(sys.argv[1], sys.argv[1:])
    stage, peaks, order, tail = "start", {}, [], b""
    began = {}
    while True:
        ready, _, _ = select.select([fd], [], [], 0.005)
        if ready:
            try:
                data = os.read(fd, 65536)
            except OSError:
                data = b""
            if not data:
                break
            tail += re.sub(rb"\x1b\[[0-9;]*[A-Za-z]", b"", data)  # the display's line clears
            for m in STAGE.finditer(tail):
                words = m.group(0).decode().split()
                name = SAME.get(words[1], words[1])
                stage = " ".join([name] + [w.rstrip(":") for w in words[2:4]])
                if name == "writing" and m.group(2):  # the pack's files, k of n written
                    stage += m.group(2).decode()
            tail = tail[-200:]
        try:
            with open(f"/proc/{pid}/status") as f:
                rss = next(int(line.split()[1]) for line in f if line.startswith("VmRSS"))
        except (FileNotFoundError, StopIteration, ProcessLookupError):
            continue
        if stage not in peaks:
            order.append(stage)
            peaks[stage] = 0
            began[stage] = time.monotonic()
        peaks[stage] = max(peaks[stage], rss)
    _, status = os.waitpid(pid, 0)
    ended = time.monotonic()
    for i, s in enumerate(order):
        until = began[order[i + 1]] if i + 1 < len(order) else ended
        print(f"{s:<40} {peaks[s] / 1000:6.1f} MB {until - began[s]:7.3f} s")
    print(f"{'peak':<40} {max(peaks.values()) / 1000:6.1f} MB")
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main())
