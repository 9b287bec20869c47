"""What the TSA and PKI test servers share: running until SIGTERM/SIGINT, reading a typed POST body."""
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


def read_typed_body(handler, content_type, max_bytes, what):
    """The body of a POST to `handler` (a BaseHTTPRequestHandler with a `_send(status, body)`), or
    None after answering 415, 411, 400 or 413 for a wrong type, a missing or bad length, or a body
    larger than `max_bytes`. `what` names the body in the 413 answer."""
    received_type = handler.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
    if received_type != content_type:
        handler._send(415, f"Content-Type must be {content_type}\n".encode())
        return None
    length = handler.headers.get("Content-Length")
    if length is None:
        handler._send(411, b"Content-Length required\n")
        return None
    try:
        length = int(length)
    except ValueError:
        handler._send(400, b"bad Content-Length\n")
        return None
    if length < 0 or length > max_bytes:
        handler._send(413, f"{what} larger than {max_bytes} bytes\n".encode())
        return None
    return handler.rfile.read(length)

