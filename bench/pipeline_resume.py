#!/usr/bin/env python
"""`kill -9` in the middle of a 2000-sample `ocnb.evaluate` run, then the same call again (same work_dir):
nothing the first run had received is sent again, and the final scores equal an uninterrupted run's.

    python bench/pipeline_resume.py                  # 2000 MMLU/ARC samples, 0.2 s latency, kill at half
    python bench/pipeline_resume.py --n 600 --kill-at 0.3
Needs the OpenCompass data (OCNB_DATA_DIR, or ../shared/data beside the repo)."""
import argparse, json, os, signal, subprocess, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import serve, run_child, PY, ROOT
from pipeline import workload

def child(url, work_dir, n):
    "One evaluate call; prints its scores and how many replies came from the cache."
    from ocnb.pipeline import evaluate
    model = {'path': 'test-model', 'openai_api_base': url}
    rs = [evaluate(model, d, limit=l, work_dir=work_dir, progress=False) for d, l in workload(n)]
    print(json.dumps(dict(n=sum(len(r.samples) for r in rs), cached=int(sum(r.samples.cached.sum() for r in rs)),
                          distinct=len({p for r in rs for p in r.samples.prompt}),
                          errors=int(sum(r.samples.error.notna().sum() for r in rs)),
                          scores={f'{s.subset}': s.score for r in rs for s in r.scores.itertuples()})))

def lines(path: Path) -> int:
    try: return path.read_bytes().count(b'\n')
    except FileNotFoundError: return 0

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--child', nargs=3, metavar=('URL', 'WORK_DIR', 'N'), help=argparse.SUPPRESS)
    p.add_argument('--n', type=int, default=2000)
    p.add_argument('--latency', type=float, default=0.2)
    p.add_argument('--kill-at', type=float, default=0.5, help='kill when this share of replies is cached')
    a = p.parse_args()
    if a.child: return child(a.child[0], a.child[1], int(a.child[2]))
    wd, ref_wd = Path(tempfile.mkdtemp()), Path(tempfile.mkdtemp())
    cache = wd/'cache'/'test-model.jsonl'
    with serve('--latency', a.latency, '--echo') as srv:
        proc = subprocess.Popen([PY, __file__, '--child', srv.base_url, str(wd), str(a.n)], cwd=ROOT,
                                stdout=subprocess.DEVNULL)
        while lines(cache) < int(a.n * a.kill_at) and proc.poll() is None: time.sleep(0.005)
        os.kill(proc.pid, signal.SIGKILL); proc.wait()
        time.sleep(0.5 + a.latency)          # let requests cut off by the kill drain on the server
        c1, kept = srv.counts(), lines(cache)
        run2 = run_child(__file__, '--child', srv.base_url, wd, a.n)
        c2 = srv.counts()
        ref = run_child(__file__, '--child', srv.base_url, ref_wd, a.n)   # uninterrupted, fresh work_dir
    sent2 = c2['total'] - c1['total']
    # a few MMLU questions appear twice: identical requests are sent once and answered for both rows
    checks = {'killed mid-run': 0 < kept < run2['distinct'],
              'run 2 took from the cache what run 1 stored': run2['cached'] >= kept,
              'run 2 sent exactly the missing requests': sent2 == run2['distinct'] - kept,
              'no errors': run2['errors'] == 0 == ref['errors'],
              'scores equal an uninterrupted run': run2['scores'] == ref['scores']}
    print(json.dumps(dict(n=run2['n'], distinct_requests=run2['distinct'], latency_s=a.latency, run1_cached=kept,
                          run2_sent=sent2, run2_cached=run2['cached'],
                          checks=checks), indent=1))
    bad = [k for k, v in checks.items() if not v]
    print('ALL CHECKS PASSED' if not bad else f'FAILED: {bad}')
    sys.exit(1 if bad else 0)

if __name__ == '__main__': main()
