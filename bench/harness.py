"""What the benchmarks share: a free loopback port, a dealerd release binary started and
waited for until ready, stopped cleanly, and the percentile they report."""
import http.client, os, socket, subprocess, sys, time


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start(binary, url, port, env):
    """`dealerd serve` on `port` with `env` over the environment, once /readyz answers 200."""
    full = dict(os.environ, DEALERD_DATABASE_URL=url, DEALERD_HTTP_PORT=str(port), DEALERD_LOG_LEVEL="warning", **env)
    process = subprocess.Popen([binary, "serve"], env=full, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while True:
        if process.poll() is not None:
            sys.exit(f"dealerd exited with {process.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/readyz")
            if conn.getresponse().status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.005)


def stop(process):
    """SIGTERM, then wait for the graceful shutdown to finish."""
    process.terminate()
    process.wait(timeout=60)


def percentile(values, p):
    """The value at fraction `p` of the sorted values (nan for none)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))] if ordered else float("nan")
