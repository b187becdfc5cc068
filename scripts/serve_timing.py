#!/usr/bin/env python3
"""The search's own time, without a process to start: each query asked of a running
`zhengce serve` (its reply cache off) over one kept-alive connection, ROUNDS times after one
warm-up round, in turn; the median of each query's times, in ms, written as JSON.

    scripts/serve_timing.py BIN INDEX ROUNDS OUT QUERY...

Used by bench.sh beside the whole-process times: what a query costs inside zhengce, and so
what of a whole-process time is start-up.
"""
import http.client
import json
import statistics
import subprocess
import sys
import time
import urllib.parse

bin_, index, rounds, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
queries = sys.argv[5:]
server = subprocess.Popen(
    [bin_, "serve", "--index", index, "--listen", "127.0.0.1:0", "--cache-mb", "0"],
    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
try:
    # `zhengce: serving INDEX on http://127.0.0.1:PORT/`
    port = int(server.stdout.readline().rstrip().rstrip("/").rsplit(":", 1)[1])
    connection = http.client.HTTPConnection("127.0.0.1", port)
    times = {q: [] for q in queries}
    for round_ in range(rounds + 1):
        for q in queries:
            started = time.perf_counter()
            connection.request("GET", "/api/search?" + urllib.parse.urlencode({"q": q, "limit": 10}))
            reply = connection.getresponse()
            reply.read()
            if reply.status != 200:
                sys.exit(f"serve_timing: {q!r} answered {reply.status}")
            if round_ > 0:
                times[q].append((time.perf_counter() - started) * 1000)
    json.dump({q: statistics.median(t) for q, t in times.items()}, open(out, "w"),
              ensure_ascii=False)
finally:
    server.kill()
