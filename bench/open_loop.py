"""An open-loop HTTP load generator: requests leave on a fixed schedule (rate per second) whatever
the server's answers, over a pool of keep-alive connections, and each latency is measured from the
request's scheduled time, so a slow answer delays nothing and queueing is not hidden (no coordinated
omission). Python's standard library only (asyncio); used by the benchmarks, asserts nothing.
"""
import asyncio, time


async def _connection(host, port):
    return await asyncio.open_connection(host, port)


async def _send(pool, request, scheduled, latencies, failures, on_answer):
    reader, writer = await pool.get()
    try:
        writer.write(request)
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        body = await reader.readexactly(length) if length else b""
        latency = (time.perf_counter() - scheduled) * 1000
        latencies.append(latency)
        if on_answer:
            on_answer(status, body, latency)
        if status >= 300:
            failures.append(status)
        pool.put_nowait((reader, writer))
    except Exception as error:  # a broken connection is replaced, the request counted as failed
        failures.append(repr(error))
        writer.close()
        pool.put_nowait(await _connection(*writer.get_extra_info("peername")[:2]))


async def _run(host, port, make_request, rate, seconds, connections, on_answer):
    pool = asyncio.Queue()
    for _ in range(connections):
        pool.put_nowait(await _connection(host, port))
    latencies, failures, tasks = [], [], []
    total = int(rate * seconds)
    began = time.perf_counter()
    for i in range(total):
        scheduled = began + i / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(_send(pool, make_request(i), scheduled, latencies, failures, on_answer)))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - began
    while not pool.empty():
        _, writer = pool.get_nowait()
        writer.close()
    return latencies, failures, elapsed


def run(host, port, make_request, rate, seconds, connections=64, on_answer=None):
    """make_request(i) -> bytes of one HTTP/1.1 request; on_answer(status, body, latency ms) sees each answer.
    Returns (latencies ms, failures, elapsed s)."""
    return asyncio.run(_run(host, port, make_request, rate, seconds, connections, on_answer))

