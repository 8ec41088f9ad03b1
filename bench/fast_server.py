#!/usr/bin/env python
"""A minimal fast OpenAI-compatible endpoint for benchmarks: one asyncio Protocol speaking HTTP/1.1 keep-alive.

`python -m ocnb.testing` is built for tests (aiohttp web app, fault injection, request bodies kept and hashed per
key). At zero latency that server, not the client under test, limits a benchmark on this machine. This one does
as little per request as it can while staying honest:

- it reads the whole request (headers and a `Content-Length` body) before it answers, and answers each connection's
  requests in order, one at a time (a pipelined request waits for the one before it);
- chat (`POST /v1/chat/completions`) and completions (`POST /v1/completions`) get a fixed answer, in the shapes
  `ocnb.testing.completion_json` gives (`choices[0].message.content` / `choices[0].text`, `finish_reason`, `usage`);
  the body is not parsed as JSON, so the answer names the first served model;
- `--latency S` delays each answer by S seconds with a timer (no coroutine per request);
- `GET /v1/models` lists the served models; `GET /_ocnb/counts` and `POST /_ocnb/reset` report and clear the tallies
  (`total`, `ok`, `in_flight`, `max_in_flight`, `endpoints`, `status`, `distinct` bodies, `answered_twice`) as
  `python -m ocnb.testing` does, so `bench/common.py`'s `ServerProc` works with either.

No faults, no auth, no chunked request bodies (answered 411). Benchmarks that need those use `ocnb.testing`.

    python bench/fast_server.py --port 0 --latency 0.2 --answer A     # prints 'fast_server serving http://.../v1'
"""
import argparse, asyncio, json, signal, time
from collections import Counter

REASONS = {200: 'OK', 400: 'Bad Request', 404: 'Not Found', 405: 'Method Not Allowed', 411: 'Length Required'}
ENDPOINTS = {b'/v1/chat/completions': 'chat', b'/v1/completions': 'completions'}

def completion_bytes(kind: str, text: str, model: str) -> bytes:
    "The fixed response body for `kind` ('chat' or 'completions'), as `ocnb.testing.completion_json` shapes it."
    if kind == 'chat':
        choice = dict(index=0, message=dict(role='assistant', content=text), finish_reason='stop')
        obj = 'chat.completion'
    else: choice, obj = dict(index=0, text=text, logprobs=None, finish_reason='stop'), 'text_completion'
    usage = dict(prompt_tokens=0, completion_tokens=len(text.split()), total_tokens=len(text.split()))
    return json.dumps(dict(id='cmpl-0', object=obj, created=int(time.time()), model=model, choices=[choice],
                           usage=usage)).encode()

def response(status: int, body: bytes, close=False) -> bytes:
    "A whole HTTP/1.1 response with a JSON body."
    head = (f'HTTP/1.1 {status} {REASONS.get(status, "Error")}\r\nContent-Type: application/json\r\n'
            f'Content-Length: {len(body)}\r\n' + ('Connection: close\r\n' if close else '') + '\r\n')
    return head.encode() + body

def error_body(message: str) -> bytes:
    return json.dumps({'error': dict(message=message, type='invalid_request_error', param=None, code=None)}).encode()

class Counts:
    "What the server saw since the last reset."
    def __init__(self):
        self.total = self.ok = self.in_flight = self.max_in_flight = 0
        self.endpoints, self.status = Counter(), Counter()
        self.arrived, self.answered = Counter(), Counter()   # hash(body) -> arrivals / successful answers

    def snapshot(self) -> dict:
        return dict(total=self.total, ok=self.ok, in_flight=self.in_flight, max_in_flight=self.max_in_flight,
                    endpoints=dict(self.endpoints), status={str(k): v for k, v in self.status.items()},
                    distinct=len(self.arrived), answered=len(self.answered),
                    answered_twice=sum(v > 1 for v in self.answered.values()))

class Server:
    "The shared state: fixed answers, latency, tallies."
    def __init__(self, answer='The answer is A.', latency=0.0, models=('test-model',)):
        self.latency, self.models, self.c = float(latency), tuple(models), Counts()
        self.answers = {k: response(200, completion_bytes(k, answer, self.models[0])) for k in ('chat', 'completions')}
        self.models_body = json.dumps(dict(object='list', data=[dict(id=m, object='model', owned_by='bench')
                                                                for m in self.models])).encode()

    def admin(self, method: bytes, path: bytes):
        "(status, body) for the non-completion routes, or None if there is no such route."
        if path == b'/v1/models' and method == b'GET': return 200, self.models_body
        if path == b'/_ocnb/counts' and method == b'GET': return 200, json.dumps(self.c.snapshot()).encode()
        if path == b'/_ocnb/reset' and method == b'POST':
            self.c = Counts(); return 200, json.dumps(self.c.snapshot()).encode()
        return None

class HTTP(asyncio.Protocol):
    "One connection: parse whole requests from the buffer, answer them in order."
    def __init__(self, srv: Server):
        self.srv, self.buf, self.busy, self.timer, self.tr = srv, bytearray(), False, None, None
        self.pumping = False   # inside pump(): answers written there do not start another pump
        self.counts = None     # the tallies of the request being answered
    def connection_made(self, tr): self.tr = tr
    def connection_lost(self, exc):
        if self.timer is not None:   # the client went away while its answer was delayed
            self.timer.cancel(); self.timer = None
            c = self.counts; c.in_flight -= 1; c.status['cancelled'] += 1
        self.tr = None

    def data_received(self, data):
        self.buf += data
        self.pump()

    def pump(self):
        "Answer the complete requests in the buffer, one after the other (a delayed answer stops the loop)."
        if self.pumping: return
        self.pumping = True
        try:
            while self.tr is not None and not self.busy and self.next_request(): pass
        finally: self.pumping = False

    def next_request(self) -> bool:
        "Answer (or start answering) the first complete request in the buffer; False if there is none yet."
        buf = self.buf
        end = buf.find(b'\r\n\r\n')
        if end < 0: return False
        lines = bytes(buf[:end]).split(b'\r\n')
        try: method, path, version = lines[0].split(b' ', 2)
        except ValueError: self.finish(response(400, error_body('bad request line'), close=True), True); return False
        length, close, chunked = 0, version == b'HTTP/1.0', False
        for ln in lines[1:]:
            k, _, v = ln.partition(b':')
            k = k.strip().lower()
            if k == b'content-length':
                try: length = int(v)
                except ValueError:
                    self.finish(response(400, error_body('bad Content-Length'), True), True); return False
            elif k == b'connection': close = v.strip().lower() == b'close'
            elif k == b'transfer-encoding': chunked = True
        if chunked: self.finish(response(411, error_body('send a Content-Length body'), True), True); return False
        if len(buf) < end + 4 + length: return False   # the body is still arriving
        body = bytes(buf[end + 4:end + 4 + length]); del buf[:end + 4 + length]
        self.answer(method, path.split(b'?', 1)[0], body, close)
        return True

    def answer(self, method, path, body, close):
        srv, c = self.srv, self.srv.c
        kind = ENDPOINTS.get(path)
        if kind is None or method != b'POST':
            got = srv.admin(method, path)
            status, out = got if got else (404, error_body(f'no route {method.decode()} {path.decode()}'))
            return self.finish(response(status, out, close), close)
        self.counts = c   # a reset while this request waits must not touch the new tallies
        c.total += 1; c.endpoints[kind] += 1; c.in_flight += 1
        if c.in_flight > c.max_in_flight: c.max_in_flight = c.in_flight
        key = hash(body); c.arrived[key] += 1
        out = srv.answers[kind] if not close else response(200, srv.answers[kind].split(b'\r\n\r\n', 1)[1], True)
        self.busy = True
        if srv.latency: self.timer = asyncio.get_running_loop().call_later(srv.latency, self.reply, out, close, key)
        else: self.reply(out, close, key)

    def reply(self, out, close, key):
        "Send a completion answer (possibly after the latency)."
        self.timer = None
        c = self.counts; c.in_flight -= 1; c.ok += 1; c.status['200'] += 1; c.answered[key] += 1
        self.finish(out, close)

    def finish(self, out: bytes, close: bool):
        "Write one response, then go on with the next buffered request (or close)."
        self.busy = False
        if self.tr is None: return
        self.tr.write(out)
        if close: self.tr.close(); self.tr = None; return
        if self.buf: self.pump()

def parser():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--host', default='127.0.0.1')
    p.add_argument('--port', type=int, default=0, help='0 picks a free port (printed on start)')
    p.add_argument('--latency', type=float, default=0.0, help='seconds per request')
    p.add_argument('--answer', default='The answer is A.', help='the fixed answer')
    p.add_argument('--model', action='append', help='served model id (repeatable; default test-model)')
    return p

async def serve(a):
    srv = Server(a.answer, a.latency, a.model or ('test-model',))
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: HTTP(srv), a.host, a.port, backlog=2048)
    port = server.sockets[0].getsockname()[1]
    stop = asyncio.Event()
    for s in (signal.SIGINT, signal.SIGTERM): loop.add_signal_handler(s, stop.set)
    print(f'fast_server serving http://{a.host}:{port}/v1 (latency {srv.latency}s)', flush=True)
    await stop.wait()
    server.close()

def main(argv=None): asyncio.run(serve(parser().parse_args(argv)))

if __name__ == '__main__': main()
