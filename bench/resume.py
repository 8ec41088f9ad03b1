"""`kill -9` in the middle of a 2000-request run with a cache, then the same run again: nothing that the client
had received is sent again, the second run sends exactly what is missing, and the final replies equal an
uninterrupted run's.

    .venv/bin/python bench/resume.py                     # 2000 requests, 0.2 s latency, kill at half
    .venv/bin/python bench/resume.py --n 500 --kill-at 0.3

Server side (`python -m ocnb.testing` in its own process): `answered_twice` counts request bodies the server
answered successfully more than once. After a `kill -9` it can be non-zero only for replies that were on the wire
at the moment of the kill (answered by the server, never read by the client); the script reports that number and
checks it equals (answered in run 1) - (cached in run 1).
"""
import argparse, asyncio, json, os, signal, subprocess, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import serve, chat_bodies, run_child, PY, ROOT

def child(url, cache, n):
    "One run with a cache; prints a JSON summary."
    from ocnb.client import Client
    bodies = chat_bodies(n)
    t0 = time.perf_counter()
    rs = asyncio.run(Client(url, cache_path=cache).generate(bodies))
    gold = ['echo: ' + b['messages'][0]['content'] for b in bodies]
    print(json.dumps(dict(n=n, cached=sum(r.cached for r in rs), ok=sum(r.ok for r in rs),
                          correct=sum(r.text == g for r, g in zip(rs, gold)), wall=time.perf_counter() - t0)))

def lines(path: Path) -> int:
    try:
        with open(path, 'rb') as f: return f.read().count(b'\n')
    except FileNotFoundError: return 0

def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--child', nargs=3, metavar=('URL', 'CACHE', 'N'), help=argparse.SUPPRESS)
    p.add_argument('--n', type=int, default=2000)
    p.add_argument('--latency', type=float, default=0.2)
    p.add_argument('--kill-at', type=float, default=0.5, help='kill when this share of replies is cached')
    a = p.parse_args(argv)
    if a.child: return child(a.child[0], a.child[1], int(a.child[2]))
    from ocnb.client import ReplyCache
    cache = Path(tempfile.mkdtemp()) / 'replies.jsonl'
    with serve('--latency', a.latency, '--echo') as srv:
        proc = subprocess.Popen([PY, __file__, '--child', srv.base_url, str(cache), str(a.n)], cwd=ROOT,
                                stdout=subprocess.DEVNULL)
        target = int(a.n * a.kill_at)
        while lines(cache) < target and proc.poll() is None: time.sleep(0.005)
        os.kill(proc.pid, signal.SIGKILL); proc.wait()
        time.sleep(0.5 + a.latency)       # let requests cut off by the kill drain on the server
        c1 = srv.counts()
        kept = ReplyCache(cache)
        run2 = run_child(__file__, '--child', srv.base_url, cache, a.n)
        time.sleep(0.2)
        c2 = srv.counts()
    sent2 = c2['total'] - c1['total']
    lost_in_transit = c1['answered'] - len(kept)
    checks = {
        'killed mid-run': 0 < len(kept) < a.n,
        'run 2 answered from the cache what run 1 stored': run2['cached'] == len(kept),
        'run 2 sent exactly the missing requests': sent2 == a.n - len(kept),
        'every reply correct after resume (= uninterrupted run)': run2['correct'] == a.n == run2['ok'],
        'answered twice only if lost in transit at the kill': c2['answered_twice'] == lost_in_transit,
    }
    summary = dict(n=a.n, latency_s=a.latency, run1_cached_lines=len(kept), run1_torn_lines=kept.skipped,
                   run1_server_answered=c1['answered'], lost_in_transit_at_kill=lost_in_transit,
                   run2_sent=sent2, run2_cached=run2['cached'], run2_wall_s=round(run2['wall'], 2),
                   server_answered_twice=c2['answered_twice'], checks=checks)
    print(json.dumps(summary, indent=1))
    bad = [k for k, v in checks.items() if not v]
    print('ALL CHECKS PASSED' if not bad else f'FAILED: {bad}')
    sys.exit(1 if bad else 0)

if __name__ == '__main__': main()
