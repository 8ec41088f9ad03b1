"""How fast the fake endpoint itself is: `python -m ocnb.testing` at zero latency in its own process, driven by
raw aiohttp (64 in flight) from this process. Prints req/s and the server's CPU ms per request (its ceiling on a
free core is about 1000 / that).

    .venv/bin/python bench/server_throughput.py             # 4000 requests x 3 rounds
"""
import argparse, asyncio, sys, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import serve, chat_bodies, median
from client_throughput import raw_aiohttp

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--n', type=int, default=4000)
    p.add_argument('--rounds', type=int, default=3)
    a = p.parse_args(argv)
    bodies = chat_bodies(a.n)
    rates, cpus = [], []
    with serve('--latency', 0) as srv:
        for _ in range(a.rounds):
            srv.reset(); c0 = srv.cpu_s(); t0 = time.perf_counter()
            texts = asyncio.run(raw_aiohttp(srv.base_url, bodies, 64))
            wall = time.perf_counter() - t0
            assert len(texts) == a.n and srv.counts()['ok'] == a.n
            rates.append(a.n / wall); cpus.append(1000 * (srv.cpu_s() - c0) / a.n)
    print(f'server: {median(rates):.0f} req/s (rounds: {", ".join(f"{r:.0f}" for r in rates)}), '
          f'{median(cpus):.3f} CPU ms/request -> ~{1000 / median(cpus):.0f} req/s per free core')

if __name__ == '__main__': main()
