"""Running a test server until SIGTERM/SIGINT: shared by the TSA and PKI test servers."""
import signal
import threading


def serve_until_stopped(server, stopping):
    """Announces `LISTENING <port>` (the line servers.py waits for), serves, and stops cleanly on
    SIGTERM or SIGINT. `stopping` is set so that slow or hanging handlers can give up."""

    def stop(signum, frame):
        stopping.set()
        # shutdown() blocks until serve_forever returns: call it from another thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"LISTENING {server.server_address[1]}", flush=True)
    try:
        server.serve_forever(poll_interval=0.1)
    finally:
        stopping.set()
        server.server_close()
