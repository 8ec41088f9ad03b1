"""How fast the fake endpoints themselves are: `bench/fast_server.py` and `python -m ocnb.testing`, each at zero
latency in its own process, driven by raw aiohttp (64 in flight) from this process, alternating server by server in
each round. Prints each server's req/s and its CPU ms per request (its ceiling on a free core is about 1000 / that).

    .venv/bin/python bench/server_throughput.py                        # short chat bodies, 4000 requests x 3 rounds
    .venv/bin/python bench/server_throughput.py --bodies pipeline      # the 1972 bodies bench/pipeline.py sends
    .venv/bin/python bench/server_throughput.py --servers fast         # one server only
"""
import argparse, asyncio, sys, time
from contextlib import ExitStack
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import serve, chat_bodies, median
from client_throughput import raw_aiohttp

def bodies_for(kind: str, n: int) -> list:
    "`n` short chat bodies, or ('pipeline') the bodies `ocnb.evaluate` sends in bench/pipeline.py's workload."
    if kind == 'short': return chat_bodies(n)
    from pipeline import pipeline_bodies
    return pipeline_bodies(n)

def one_round(srv, bodies, conc) -> tuple:
    "(req/s, server CPU ms per request) for one pass over `bodies`."
    srv.reset(); c0 = srv.cpu_s(); t0 = time.perf_counter()
    texts = asyncio.run(raw_aiohttp(srv.base_url, bodies, conc))
    wall = time.perf_counter() - t0
    assert len(texts) == len(bodies) and srv.counts()['ok'] == len(bodies), srv.counts()
    return len(bodies) / wall, 1000 * (srv.cpu_s() - c0) / len(bodies)

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--n', type=int, default=4000, help='requests per round (pipeline bodies: about this many)')
    p.add_argument('--rounds', type=int, default=3)
    p.add_argument('--conc', type=int, default=64)
    p.add_argument('--bodies', choices=('short', 'pipeline'), default='short')
    p.add_argument('--servers', default='fast,ocnb', help='comma-separated, from fast,ocnb')
    a = p.parse_args(argv)
    bodies, names = bodies_for(a.bodies, a.n), a.servers.split(',')
    got = {s: [] for s in names}
    with ExitStack() as stack:
        srvs = {s: stack.enter_context(serve('--latency', 0, server=s)) for s in names}
        for r in range(a.rounds):   # alternate which server goes first
            for s in (names if r % 2 == 0 else names[::-1]): got[s].append(one_round(srvs[s], bodies, a.conc))
    for s, rs in got.items():
        rates, cpus = [x[0] for x in rs], [x[1] for x in rs]
        print(f'{s:>5} server, {len(bodies)} {a.bodies} bodies, {a.conc} in flight: {median(rates):.0f} req/s '
              f'(rounds: {", ".join(f"{r:.0f}" for r in rates)}), {median(cpus):.3f} server CPU ms/request '
              f'-> ~{1000 / median(cpus):.0f} req/s per free core')

if __name__ == '__main__': main()
