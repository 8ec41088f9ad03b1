#!/usr/bin/env python
"""Whole-pipeline benchmark: `ocnb.evaluate` (prompts, requests, extraction, scoring, DataFrames, work_dir)
against a raw aiohttp + asyncio.Semaphore client sending the same request bodies to the same local server.

Each measurement runs in a fresh child process, with its libraries imported before the clock starts (as in a
notebook session; `bench/memory.py` measures `import ocnb`); clients alternate within each round, in an order
that rotates every round; medians over rounds.
The server runs in its own process: by default `bench/fast_server.py`, cheap enough that at 0 ms it is not what
limits either client; `--server ocnb` uses `python -m ocnb.testing` instead (as before, for comparison). Prints wall
time, requests/s, the ratio ocnb / raw aiohttp (speed, higher is better), and client CPU per sample, and checks that
every sample was answered and scored (the server answers 'A'; every row's prediction must be 'A').

    python bench/pipeline.py                       # 2000 samples, latency 0 and 0.2 s, 64 and 256 in flight, 3 rounds
    python bench/pipeline.py --n 500 --rounds 1    # quick look
    python bench/pipeline.py --server ocnb         # against the test server
Needs the OpenCompass data (OCNB_DATA_DIR, or ../shared/data beside the repo)."""
import argparse, json, os, resource, statistics, subprocess, sys, tempfile, time
from contextlib import ExitStack
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import serve
from client_throughput import raw_aiohttp

ROOT = Path(__file__).resolve().parents[1]
if 'OCNB_DATA_DIR' not in os.environ and (ROOT.parent/'shared'/'data').exists():
    os.environ['OCNB_DATA_DIR'] = str(ROOT.parent/'shared'/'data')

def workload(n):
    "One evaluate call's (datasets, limit) giving about n samples: mmlu's 57 subjects and ARC_e, `limit` rows each."
    per = max(1, round(n / 58))
    return [(['mmlu', 'ARC_e'], per)]

def cpu_s():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime

def run_ocnb(url, n, conc, warm=False):
    import pandas, aiohttp  # noqa: F401  a notebook session has them loaded (ocnb.client imports aiohttp on first use);
                            # import cost is measured by bench/memory.py
    from ocnb.pipeline import evaluate, plan_subsets
    if warm:   # the data files already read in this session (a second model, a re-run with other settings)
        for d, l in workload(n): plan_subsets(d, l)
    model = {'path': 'test-model', 'openai_api_base': url}
    wl = workload(n)
    t0, c0 = time.perf_counter(), cpu_s()
    rs = [evaluate(model, d, limit=l, work_dir=tempfile.mkdtemp(), progress=False, concurrency=conc) for d, l in wl]
    wall, cpu = time.perf_counter() - t0, cpu_s() - c0
    k = sum(len(r.samples) for r in rs)
    errs = sum(int(r.samples.error.notna().sum()) for r in rs)
    wrong = sum(int((r.samples.prediction != 'A').sum()) for r in rs)   # the server always answers 'A'
    return dict(wall=wall, cpu=cpu, n=k, errors=errs, wrong=wrong)

def pipeline_bodies(n) -> list:
    "The request bodies `ocnb.evaluate` sends for `workload(n)`, built as the pipeline builds them."
    from ocnb.pipeline import plan_subsets, request_body, max_tokens_for
    from ocnb.config import ModelConfig
    m = ModelConfig(path='test-model', openai_api_base='http://127.0.0.1:1/v1')
    return [request_body(m, t, max_tokens_for(m, s.ds, {}), {})
            for d, l in workload(n) for s in plan_subsets(d, l) for t in s.turns]

def run_raw(url, n, conc):
    "The floor: precomputed bodies, one aiohttp session, a semaphore, JSON parsed, text taken."
    import asyncio, pandas  # noqa: F401  as in run_ocnb
    bodies = pipeline_bodies(n)
    t0, c0 = time.perf_counter(), cpu_s()
    out = asyncio.run(raw_aiohttp(url, bodies, conc))   # the same floor client_throughput.py measures
    return dict(wall=time.perf_counter() - t0, cpu=cpu_s() - c0, n=len(out), errors=0, wrong=sum(t != 'A' for t in out))

def measure(kind, url, n, conc):
    out = subprocess.run([sys.executable, __file__, '--child', kind, '--url', url, '--n', str(n), '--conc', str(conc)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])

def cases_for(servers, clients, concs) -> list:
    "(server, client, concurrency) triples; the client 'default' is ocnb with no concurrency setting (0)."
    kinds = [k for k in clients if k != 'default']
    return ([(s, k, c) for s in servers for c in concs for k in kinds]
            + [(s, 'ocnb', 0) for s in servers if 'default' in clients])

def run_rounds(lat, servers, cases, n, rounds) -> dict:
    "{(server, client, concurrency): [one result per round]}, each server its own process at latency `lat`."
    with ExitStack() as stack:   # an idle server costs nothing, so all of them run for the whole latency
        srvs = {s: stack.enter_context(serve('--latency', lat, '--answer', 'A', server=s)) for s in servers}
        got = {case: [] for case in cases}
        for r in range(rounds):   # the order rotates every round, so no case always runs just after another
            for case in cases[r % len(cases):] + cases[:r % len(cases)]:
                srv = srvs[case[0]]; s0 = srv.cpu_s()
                got[case].append(measure(case[1], srv.base_url, n, case[2]))
                got[case][-1]['server_cpu'] = srv.cpu_s() - s0
                print(f'  {lat} s, round {r + 1}, {case[0]} server, {case[1]}@{case[2] or "default"}: '
                      f'{got[case][-1]["wall"]:.2f} s', file=sys.stderr)
    return got

def summarize(lat, got) -> list:
    "One row per case: medians, the ratio of medians, and the median and range of per-round ratios."
    keys = ('wall', 'cpu', 'n', 'errors', 'wrong', 'server_cpu')
    med = {case: {k: statistics.median(r[k] for r in rs) for k in keys} for case, rs in got.items()}
    rows = []
    for (s, k, c), m in med.items():
        base = (s, 'raw', c if c else 64)
        if base not in got: continue   # no raw aiohttp row to compare with
        ratios = [b['wall'] / x['wall'] for b, x in zip(got[base], got[(s, k, c)])]
        rs = got[(s, k, c)]
        rows.append(dict(latency=lat, server=s, client=k, conc=c or 'default', n=m['n'], wall=m['wall'],
                         rps=m['n'] / m['wall'], vs_raw=med[base]['wall'] / m['wall'],
                         paired=statistics.median(ratios), paired_range=f'{min(ratios):.2f}-{max(ratios):.2f}',
                         cpu_ms=1000 * m['cpu'] / m['n'], server_cpu_ms=1000 * m['server_cpu'] / m['n'],
                         errors=max(r['errors'] for r in rs), wrong=max(r['wrong'] for r in rs)))
    return rows

HEAD = (f"{'latency':>7} {'server':>6} {'client':>9} {'conc':>7} {'n':>6} {'wall s':>8} {'req/s':>8} {'vs raw':>7} "
        f"{'paired':>7} "
        f"{'paired range':>12} {'CPU ms/sample':>13} {'server ms':>9} {'errors':>6} {'wrong':>5}")

def show(r) -> str:
    return (f"{r['latency']:>7} {r['server']:>6} {r['client']:>9} {r['conc']!s:>7} {r['n']:>6.0f} {r['wall']:>8.2f} "
            f"{r['rps']:>8.0f} "
            f"{r['vs_raw']:>7.2f} {r['paired']:>7.2f} {r['paired_range']:>12} {r['cpu_ms']:>13.3f} "
            f"{r['server_cpu_ms']:>9.3f} {r['errors']:>6.0f} {r['wrong']:>5.0f}")

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--n', type=int, default=2000)
    ap.add_argument('--rounds', type=int, default=3)
    ap.add_argument('--latencies', default='0,0.2')
    ap.add_argument('--conc', default='64,256')
    ap.add_argument('--server', default='fast', help='comma-separated: fast = bench/fast_server.py (default), '
                    'ocnb = python -m ocnb.testing; with both, their trials alternate in each round')
    ap.add_argument('--clients', default='raw,ocnb,ocnb-warm,default',
                    help='comma-separated, from raw,ocnb,ocnb-warm,default (default = ocnb, no concurrency setting)')
    ap.add_argument('--json', help='also write the rows and every round here')
    ap.add_argument('--child'); ap.add_argument('--url')
    a = ap.parse_args()
    if a.child:
        c = int(a.conc)
        if a.child == 'raw': r = run_raw(a.url, a.n, c)
        else: r = run_ocnb(a.url, a.n, None if c == 0 else c, warm=a.child == 'ocnb-warm')
        print(json.dumps(r)); return
    concs, servers = [int(c) for c in a.conc.split(',')], a.server.split(',')
    rows, rounds = [], {}
    for lat in [float(x) for x in a.latencies.split(',')]:
        got = run_rounds(lat, servers, cases_for(servers, a.clients.split(','), concs), a.n, a.rounds)
        rows += summarize(lat, got)
        rounds[lat] = {f'{s}:{k}@{c}': rs for (s, k, c), rs in got.items()}
    print(HEAD)
    for r in rows: print(show(r))
    print("\n'vs raw' = raw aiohttp's median wall / this median wall at the same concurrency ('default' compares with")
    print("raw aiohttp at 64); 'paired' = median over rounds of the same ratio within one round (less sensitive to")
    print("drifting load), 'paired range' its smallest and largest. 'ocnb-warm': the data files were already read in")
    print("that process (a second run in a notebook session). 'server ms': the server process's CPU per sample over")
    print("the whole trial (the client's start-up included). 'wrong': rows whose prediction is not the server's 'A'.")
    print("Ratios compare clients against the same server ('fast': bench/fast_server.py, 'ocnb': ocnb.testing).")
    print('Goals (issue 3, 10): at 0.2 s ocnb >= 0.95 (64) and >= 0.9 (256); at 0 s >= 0.8 and < 1 ms CPU/sample.')
    if a.json: Path(a.json).write_text(json.dumps(dict(server=a.server, rows=rows, rounds=rounds), indent=1))
    bad = [r for r in rows if r['errors'] or r['wrong'] or r['n'] != rows[0]['n']]
    if bad: sys.exit(f'{len(bad)} cases had errors, wrong predictions or missing samples')

if __name__ == '__main__': main()
