"""Client throughput against a local fake endpoint (`python -m ocnb.testing` in its own process).

Side by side in one run, alternating order each round, every trial in a fresh interpreter: a raw aiohttp +
asyncio.Semaphore client (the floor) and `ocnb.client.Client` at 64 and 256 in flight and at its default
concurrency, at 0 and 0.2 s server latency. Prints medians: wall time, req/s, ratio vs raw aiohttp at the same
concurrency, client CPU ms per request, peak in flight seen by the server.

    .venv/bin/python bench/client_throughput.py                 # 2000 requests, 3 rounds, latency 0 and 0.2 s
    .venv/bin/python bench/client_throughput.py --n 500 --rounds 1 --latencies 0.2

To add a client: write `async def f(url, bodies, concurrency) -> list[str]` and register it with `@client('name')`,
then list it in CONFIGS.
"""
import argparse, asyncio, json, math, sys, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import serve, chat_bodies, run_child, median, table, cpu_and_rss

CLIENTS = {}
def client(name):
    "Register an async client runner under `name`."
    def deco(f): CLIENTS[name] = f; return f
    return deco

@client('raw-aiohttp')
async def raw_aiohttp(url, bodies, concurrency):
    import aiohttp
    sem = asyncio.Semaphore(concurrency)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as s:
        async def one(b):
            async with sem:
                async with s.post(url + '/chat/completions', json=b) as r:
                    return (await r.json())['choices'][0]['message']['content']
        return await asyncio.gather(*[one(b) for b in bodies])

@client('ocnb')
async def ocnb_client(url, bodies, concurrency):
    from ocnb.client import Client
    got = []
    rs = await Client(url, concurrency=concurrency).generate(bodies, on_reply=lambda i, r: got.append(i))
    assert len(got) == len(bodies)
    return [r.text for r in rs if r.ok]

# (client name, concurrency or None for the client's default)
CONFIGS = [('raw-aiohttp', 64), ('ocnb', 64), ('raw-aiohttp', 256), ('ocnb', 256), ('ocnb', None)]

def trial(name, concurrency, url, n):
    "One timed run in this (fresh) process; prints a JSON line."
    import aiohttp, ocnb.client  # imports are setup, not request cost
    bodies = chat_bodies(n)
    conc = None if concurrency == 'None' else int(concurrency)
    c0, _ = cpu_and_rss(); t0 = time.perf_counter()
    texts = asyncio.run(CLIENTS[name](url, bodies, conc))
    wall = time.perf_counter() - t0; c1, rss = cpu_and_rss()
    print(json.dumps(dict(wall=wall, cpu=c1 - c0, ok=sum(1 for t in texts if t), rss=rss)))

def bench(latencies, n, rounds, configs=CONFIGS):
    rows = []
    for lat in latencies:
        with serve('--latency', lat) as srv:
            runs = {c: [] for c in configs}
            for r in range(rounds):
                order = configs[r % len(configs):] + configs[:r % len(configs)]
                for c in order:
                    srv.reset(); s0 = srv.cpu_s()
                    res = run_child(__file__, '--trial', c[0], c[1], srv.base_url, n)
                    cnt = srv.counts()
                    res.update(max_in_flight=cnt['max_in_flight'], server_cpu=srv.cpu_s() - s0, served=cnt['ok'])
                    runs[c].append(res)
                    print(f'  latency {lat}s round {r + 1} {c[0]}@{c[1] or "default"}: {res["wall"]:.2f} s',
                          file=sys.stderr)
            for (name, conc), rs in runs.items():
                wall = median([x['wall'] for x in rs])
                rows.append(dict(latency_s=lat, client=name, concurrency=conc or 'default', n=n,
                                 wall_s=wall, runs=', '.join(f'{x["wall"]:.2f}' for x in rs), req_s=n / wall,
                                 ideal_s=math.ceil(n / conc) * lat if conc and lat else '',
                                 cpu_ms_req=1000 * median([x['cpu'] for x in rs]) / n,
                                 max_in_flight=max(x['max_in_flight'] for x in rs), ok=min(x['ok'] for x in rs),
                                 rss_mib=max(x['rss'] for x in rs), server_cpu_s=median([x['server_cpu'] for x in rs])))
                r0 = rows[-1]; r0['_walls'] = [x['wall'] for x in rs]
    add_ratios(rows)
    for r in rows: del r['_walls']
    return rows

def _ratio(ref, r, paired):
    "ref wall / r wall: of the medians, or the median of per-round ratios (trials of one round ran back to back)."
    if paired: return median([a / b for a, b in zip(ref['_walls'], r['_walls'])])
    return ref['wall_s'] / r['wall_s']

def add_ratios(rows):
    "Speed ratios vs raw aiohttp at the same latency and concurrency (default: vs raw and ocnb at 64)."
    by = {(r['latency_s'], r['client'], r['concurrency']): r for r in rows}
    for r in rows:
        lat, conc = r['latency_s'], r['concurrency']
        raw = by.get((lat, 'raw-aiohttp', conc if conc != 'default' else 64))
        if raw: r['vs_raw'], r['vs_raw_paired'] = _ratio(raw, r, False), _ratio(raw, r, True)
        o64 = by.get((lat, 'ocnb', 64))
        if conc == 'default' and o64:
            r['vs_ocnb64'], r['vs_ocnb64_paired'] = _ratio(o64, r, False), _ratio(o64, r, True)

def goals(rows) -> list:
    "The issue-3 goals, each as (description, measured, met)."
    by = {(r['latency_s'], r['client'], r['concurrency']): r for r in rows}
    out = []
    def g(desc, key, field, target, less=False):
        r = by.get(key)
        if r and field in r: out.append((desc, r[field], r[field] < target if less else r[field] >= target))
    for f in ('vs_raw', 'vs_raw_paired'):
        g(f'200 ms, 64 in flight: >= 0.95x raw aiohttp ({f})', (0.2, 'ocnb', 64), f, 0.95)
        g(f'200 ms, 256 in flight: >= 0.9x raw aiohttp ({f})', (0.2, 'ocnb', 256), f, 0.9)
        g(f'0 ms, 64 in flight: >= 0.8x raw aiohttp ({f})', (0.0, 'ocnb', 64), f, 0.8)
        g(f'0 ms, 256 in flight: >= 0.8x raw aiohttp ({f})', (0.0, 'ocnb', 256), f, 0.8)
    g('0 ms, 64 in flight: < 1 ms client CPU per request', (0.0, 'ocnb', 64), 'cpu_ms_req', 1.0, less=True)
    g('0 ms, 256 in flight: < 1 ms client CPU per request', (0.0, 'ocnb', 256), 'cpu_ms_req', 1.0, less=True)
    for f in ('vs_ocnb64', 'vs_ocnb64_paired'):
        g(f'200 ms, default concurrency: >= 0.8x ocnb at 64 ({f})', (0.2, 'ocnb', 'default'), f, 0.8)
    return out

COLS = ['latency_s', 'client', 'concurrency', 'n', 'wall_s', 'runs', 'req_s', 'vs_raw', 'vs_raw_paired',
        'vs_ocnb64', 'vs_ocnb64_paired', 'ideal_s',
        'cpu_ms_req', 'max_in_flight', 'ok', 'rss_mib', 'server_cpu_s']

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--trial', nargs=4, metavar=('CLIENT', 'CONCURRENCY', 'URL', 'N'), help=argparse.SUPPRESS)
    p.add_argument('--n', type=int, default=2000)
    p.add_argument('--rounds', type=int, default=3)
    p.add_argument('--latencies', default='0,0.2')
    p.add_argument('--json', help='also write the rows here')
    a = p.parse_args(argv)
    if a.trial: return trial(*a.trial[:3], int(a.trial[3]))
    rows = bench([float(x) for x in a.latencies.split(',')], a.n, a.rounds)
    print(table(rows, COLS))
    print()
    for desc, v, ok in goals(rows): print(f'- {"MET " if ok else "MISS"} {desc}: {v:.3g}')
    if a.json: Path(a.json).write_text(json.dumps(rows, indent=1))

if __name__ == '__main__': main()
