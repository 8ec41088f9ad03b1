#!/usr/bin/env python
"""Peak memory of a full MMLU run (14,042 questions, 5-shot) through `ocnb.evaluate`, and `import ocnb` time.

    python bench/memory.py              # full MMLU against a local zero-latency test server
    python bench/memory.py --limit 50   # a smaller run
Prints the peak RSS of the evaluating process (goal: < 600 MB) and the import time (goal: < 1 s)."""
import argparse, json, resource, subprocess, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
import pipeline  # noqa: E402,F401  (sets the data-dir default)
from common import serve  # noqa: E402

def child(url, limit):
    from ocnb.pipeline import evaluate
    t = time.perf_counter()
    r = evaluate({'path': 'test-model', 'openai_api_base': url}, 'mmlu', limit=limit, work_dir=tempfile.mkdtemp(),
                 progress=False)
    wall = time.perf_counter() - t
    print(json.dumps(dict(n=len(r.samples), errors=int(r.samples.error.notna().sum()), wall=wall,
                          peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)))

def import_time():
    code = 'import time; t=time.perf_counter(); import ocnb; print(time.perf_counter()-t)'
    run = lambda: subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True)
    return min(float(run().stdout) for _ in range(5))

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--limit', default=None); ap.add_argument('--child'); ap.add_argument('--url')
    a = ap.parse_args()
    limit = None if a.limit in (None, 'None') else int(a.limit)
    if a.child: return child(a.url, limit)
    with serve('--answer', 'A') as srv:
        out = subprocess.run([sys.executable, __file__, '--child', '1', '--url', srv.base_url, '--limit', str(limit)],
                             capture_output=True, text=True, check=True)
    r = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"MMLU samples {r['n']} (errors {r['errors']}), wall {r['wall']:.1f} s, "
          f"peak RSS {r['peak_rss_mb']:.0f} MB (goal < 600 MB)")
    print(f"import ocnb: {import_time():.3f} s (best of 5; goal < 1 s)")

if __name__ == '__main__': main()
