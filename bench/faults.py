"""30% injected faults of every kind (429 with Retry-After, 500, 503, connection reset, malformed JSON, empty
answer, slower than the timeout): the run completes, every request comes back as an answer or a flagged error,
none is lost, no answered request is sent twice, and the answers equal a fault-free run's.

    .venv/bin/python bench/faults.py                    # 2000 requests, 50 ms latency, seed 0
    .venv/bin/python bench/faults.py --n 500 --rate 0.5 --seed 3
"""
import argparse, asyncio, collections, json, sys, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import serve, chat_bodies
from ocnb.client import Client

def run(url, bodies, **kw):
    t0 = time.perf_counter()
    got = {}
    rs = asyncio.run(Client(url, **kw).generate(bodies, on_reply=lambda i, r: got.setdefault(i, r)))
    return rs, got, time.perf_counter() - t0

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--n', type=int, default=2000)
    p.add_argument('--rate', type=float, default=0.3)
    p.add_argument('--latency', type=float, default=0.05)
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--timeout', type=float, default=2.0, help='client timeout per attempt (the slow fault waits 5 s)')
    p.add_argument('--json', help='also write the summary here')
    a = p.parse_args(argv)
    bodies = chat_bodies(a.n)
    with serve('--latency', a.latency, '--echo') as clean:
        ref, _, ref_wall = run(clean.base_url, bodies, timeout=a.timeout)
    with serve('--latency', a.latency, '--echo', '--fault-rate', a.rate, '--seed', a.seed, '--slow', 5,
               '--retry-after', 0.2) as srv:
        rs, got, wall = run(srv.base_url, bodies, timeout=a.timeout)
        time.sleep(0.3)
        counts = srv.counts()
    ok = [r for r in rs if r.ok]
    errs = [r for r in rs if not r.ok]
    checks = {
        'every request has a reply': all(r is not None for r in rs) and len(rs) == a.n,
        'on_reply called once per request': len(got) == a.n,
        'every reply is an answer or a flagged error':
            all((r.ok and r.http_status == 200) or (r.error and r.attempts >= 1) for r in rs),
        'answers equal the fault-free run': all(r.text == f.text for r, f in zip(rs, ref) if r.ok),
        'fault-free run all answered': all(f.ok for f in ref),
        'no answered request sent twice (server)': counts['answered_twice'] == 0,
        'server answered exactly the successes': counts['answered'] == len(ok),
        'attempts, http_status filled on every reply': all(r.attempts >= 1 and (r.http_status or r.error) for r in rs),
    }
    score_faulty = sum(r.text == f.text for r, f in zip(rs, ref) if r.ok) / max(1, len(ok))
    summary = dict(n=a.n, fault_rate=a.rate, latency_s=a.latency, seed=a.seed, answered=len(ok), errors=len(errs),
                   wall_s=round(wall, 2), fault_free_wall_s=round(ref_wall, 2), server_requests=counts['total'],
                   injected=counts['faults'],
                   attempts=dict(sorted(collections.Counter(r.attempts for r in rs).items())),
                   error_reasons=dict(collections.Counter(r.error.split(' (after')[0][:60] for r in errs)),
                   score_on_answered_vs_fault_free=score_faulty, checks=checks)
    print(json.dumps(summary, indent=1))
    if a.json: Path(a.json).write_text(json.dumps(summary, indent=1))
    bad = [k for k, v in checks.items() if not v]
    print('ALL CHECKS PASSED' if not bad else f'FAILED: {bad}')
    sys.exit(1 if bad else 0)

if __name__ == '__main__': main()
