"""The servers built in Part 5's labs, driven by clients we did not write.

Lab 5.5 builds a token-streaming Server-Sent Events server and lab 5.7 an MCP server, both with the
standard library. Checking them only with the labs' own clients would prove little, so here the SSE
server is consumed by a browser's EventSource (Chromium) and by an independent SSE client
(httpx-sse), and the MCP server is driven over stdio by the official MCP Python SDK. The code under
test is taken from the notebooks themselves: the cell tagged ``sse-server`` and the cell tagged
``mcp-server``, so the lab a reader runs is the server that is tested.
"""

from __future__ import annotations

import json
import queue
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlencode

import nbformat
import pytest
from book import DOCS

SERVING_LAB = DOCS / "inference" / "labs" / "serving.ipynb"
MCP_LAB = DOCS / "inference" / "labs" / "tools-and-mcp.ipynb"
HANG = 30  # seconds: only catches a hang, never times a result


def tagged_cell(notebook: Path, tag: str) -> str:
    if not notebook.exists():
        pytest.fail(f"{notebook.relative_to(DOCS.parent)} does not exist")
    nb = nbformat.read(notebook, as_version=4)
    cells = [c for c in nb.cells if tag in c.get("metadata", {}).get("tags", [])]
    assert len(cells) == 1, f"{notebook.name}: expected exactly one cell tagged {tag!r}, found {len(cells)}"
    assert cells[0].cell_type == "code", f"{notebook.name}: the cell tagged {tag!r} is not a code cell"
    return cells[0].source


# --- lab 5.5: the SSE server ------------------------------------------------------------------


@pytest.fixture(scope="module")
def sse():
    source = tagged_cell(SERVING_LAB, "sse-server")
    namespace: dict = {"__name__": "serving_lab"}
    exec(compile(source, f"{SERVING_LAB.name}[sse-server]", "exec"), namespace)
    server, base = namespace["start_server"](port=0, token_delay=0.002)
    yield SimpleNamespace(server=server, base=base, expected=namespace["generate_tokens"])
    server.shutdown()
    server.server_close()


def wait_for(predicate, what: str):
    deadline = time.monotonic() + HANG
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.01)
    pytest.fail(f"gave up waiting for {what}")


def stream_with_httpx_sse(base: str, prompt: str, n: int) -> tuple[list[tuple[str, dict]], dict, str]:
    import httpx
    from httpx_sse import connect_sse

    tokens, done = [], None
    with httpx.Client(timeout=HANG) as client:
        with connect_sse(client, "GET", f"{base}/v1/stream", params={"prompt": prompt, "max_tokens": n}) as es:
            content_type = es.response.headers["content-type"]
            for event in es.iter_sse():
                if event.event == "message":
                    tokens.append((event.id, json.loads(event.data)))
                elif event.event == "done":
                    done = json.loads(event.data)
    assert done is not None, "the stream ended without its terminal 'done' event"
    return tokens, done, content_type


def test_the_sse_server_listens_on_loopback_only(sse):
    assert sse.server.server_address[0] == "127.0.0.1"


def test_an_independent_sse_client_receives_every_token_in_order(sse):
    prompt = "Explain the KV cache → briefly, s'il vous plaît"
    tokens, done, content_type = stream_with_httpx_sse(sse.base, prompt, 64)
    assert content_type.startswith("text/event-stream")
    assert [t["token"] for _, t in tokens] == sse.expected(prompt, 64)
    assert [t["index"] for _, t in tokens] == list(range(64))
    assert [i for i, _ in tokens] == [str(i) for i in range(64)], "event ids must count up from 0"
    assert done["tokens"] == 64


def test_fifty_concurrent_streams_lose_nothing(sse):
    before = sse.server.stats["completed"]
    start = threading.Barrier(50)

    def one(i):
        start.wait(timeout=HANG)
        prompt = f"stream number {i}"
        tokens, done, _ = stream_with_httpx_sse(sse.base, prompt, 40)
        return [t["token"] for _, t in tokens] == sse.expected(prompt, 40) and done["tokens"] == 40

    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(one, range(50)))
    assert results == [True] * 50, f"{results.count(False)} of 50 streams arrived incomplete or out of order"
    assert sse.server.stats["completed"] - before == 50


def test_a_client_that_disconnects_mid_stream_is_cancelled_and_the_server_carries_on(sse, capfd):
    before = sse.server.stats["cancelled"]
    with socket.create_connection(sse.server.server_address[:2], timeout=HANG) as s:
        s.sendall(b"GET /v1/stream?prompt=hello&max_tokens=2000&delay_ms=5 HTTP/1.1\r\nHost: x\r\n\r\n")
        received = b""
        while received.count(b"\nid: ") < 3:
            chunk = s.recv(4096)
            assert chunk, "the server closed the stream early"
            received += chunk
    wait_for(lambda: sse.server.stats["cancelled"] > before, "the server to notice the disconnect")
    tokens, done, _ = stream_with_httpx_sse(sse.base, "after the disconnect", 8)
    assert len(tokens) == 8 and done["tokens"] == 8
    assert "Traceback" not in capfd.readouterr().err, "a disconnect printed a traceback"


def raw_request(sse, request: bytes) -> tuple[int, dict, bytes]:
    with socket.create_connection(sse.server.server_address[:2], timeout=HANG) as s:
        s.sendall(request)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body


@pytest.mark.parametrize(
    "target, status, names",
    [
        ("/v1/stream?max_tokens=5", 400, "prompt"),
        ("/v1/stream?prompt=&max_tokens=5", 400, "prompt"),
        ("/v1/stream?prompt=hi", 400, "max_tokens"),
        ("/v1/stream?prompt=hi&max_tokens=lots", 400, "max_tokens"),
        ("/v1/stream?prompt=hi&max_tokens=0", 400, "max_tokens"),
        ("/v1/stream?prompt=hi&max_tokens=999999", 400, "max_tokens"),
        ("/v1/stream?prompt=hi&max_tokens=5&delay_ms=-3", 400, "delay_ms"),
        ("/v1/nothing-here", 404, ""),
    ],
)
def test_a_malformed_request_gets_a_4xx_with_a_message(sse, target, status, names):
    rejected = sse.server.stats["rejected"]
    code, headers, body = raw_request(sse, f"GET {target} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    assert code == status
    assert headers["content-type"].startswith("application/json")
    message = json.loads(body)["error"]["message"]
    assert message and names in message, f"the message {message!r} does not name {names!r}"
    if status == 400:
        assert sse.server.stats["rejected"] == rejected + 1


def test_other_methods_and_garbage_are_refused_and_the_server_keeps_serving(sse):
    code, headers, body = raw_request(sse, b"POST /v1/stream HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
    assert code == 405 and headers.get("allow") == "GET" and json.loads(body)["error"]["message"]
    code, headers, _ = raw_request(sse, b"BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n")
    assert code == 405 and headers.get("allow") == "GET"
    code, _, body = raw_request(sse, b"THIS IS NOT HTTP AT ALL\r\n\r\n")
    assert code == 400 and b"Bad request" in body
    code, _, body = raw_request(sse, b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
    assert code == 200 and json.loads(body) == {"ok": True}


EVENTSOURCE = """
async ([url]) => await new Promise((resolve, reject) => {
  const source = new EventSource(url);
  const got = [];
  source.onmessage = (e) => got.push({ id: e.lastEventId, data: JSON.parse(e.data) });
  source.addEventListener("done", (e) => { source.close(); resolve({ got, done: JSON.parse(e.data) }); });
  source.onerror = () => { source.close(); reject(new Error(`EventSource failed after ${got.length} events`)); };
})
"""


@pytest.mark.browser
def test_a_browser_eventsource_receives_every_token_in_order(sse, browser):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{sse.base}/health")  # same origin as the stream
        prompt = "naïve streaming → 🙂"
        url = f"{sse.base}/v1/stream?" + urlencode({"prompt": prompt, "max_tokens": 48})
        result = page.evaluate(EVENTSOURCE, [url])
    finally:
        context.close()
    assert [m["data"]["token"] for m in result["got"]] == sse.expected(prompt, 48)
    assert [m["id"] for m in result["got"]] == [str(i) for i in range(48)]
    assert result["done"]["tokens"] == 48


# --- lab 5.7: the MCP server ------------------------------------------------------------------


@pytest.fixture(scope="module")
def mcp_script(tmp_path_factory) -> Path:
    source = tagged_cell(MCP_LAB, "mcp-server")
    first, _, program = source.partition("\n")
    assert first.startswith("%%writefile"), "the mcp-server cell must start with %%writefile"
    path = tmp_path_factory.mktemp("mcp") / "server.py"
    path.write_text(program)
    return path


def test_the_official_mcp_sdk_client_can_use_the_server(mcp_script):
    import anyio
    from mcp import ClientSession, MCPError, StdioServerParameters, stdio_client

    async def session_run():
        params = StdioServerParameters(command=sys.executable, args=[str(mcp_script)])
        with anyio.fail_after(HANG):
            async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
                init = await session.initialize()
                tools = await session.list_tools()
                ok = await session.call_tool(
                    "kv_cache_bytes",
                    {"n_layers": 80, "n_kv_heads": 8, "d_head": 128, "bytes_per_element": 2, "tokens": 1},
                )
                bad = await session.call_tool("kv_cache_bytes", {"n_layers": "eighty"})
                with pytest.raises(MCPError) as unknown:
                    await session.call_tool("no_such_tool", {})
                resources = await session.list_resources()
                first = resources.resources[0]
                read_back = await session.read_resource(first.uri)
                with pytest.raises(MCPError) as missing:
                    await session.read_resource("book://no/such/resource")
                prompts = await session.list_prompts()
                return init, tools, ok, bad, unknown.value, first, read_back, missing.value, prompts

    # Its own thread: Playwright's sync API may already run an event loop in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        outcome = pool.submit(anyio.run, session_run).result(timeout=2 * HANG)
    init, tools, ok, bad, unknown, first, read_back, missing, prompts = outcome
    assert init.protocol_version == "2025-11-25" and init.server_info.name
    names = {t.name for t in tools.tools}
    assert {"kv_cache_bytes", "word_count"} <= names
    assert all(t.input_schema.get("type") == "object" for t in tools.tools)
    assert not ok.is_error and "327680" in ok.content[0].text.replace(",", "")
    assert bad.is_error and bad.content[0].text, "a schema violation is a tool error the model can read"
    assert unknown.code == -32602 and "no_such_tool" in unknown.message
    assert read_back.contents[0].text and str(read_back.contents[0].uri) == str(first.uri)
    assert missing.code == -32002
    assert prompts.prompts, "the server lists no prompts"


class RawMCP:
    """The server as a subprocess, spoken to one JSON line at a time."""

    def __init__(self, script: Path):
        self.proc = subprocess.Popen(
            [sys.executable, str(script)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self):
        for line in self.proc.stdout:
            self.lines.put(line)

    def send(self, text: str) -> dict:
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()
        try:
            line = self.lines.get(timeout=HANG)
        except queue.Empty:
            pytest.fail(f"no answer to {text!r}")
        return json.loads(line)  # every line on stdout must be JSON

    def close(self) -> int:
        self.proc.stdin.close()
        return self.proc.wait(timeout=HANG)


def error_code(reply: dict) -> int | None:
    return reply.get("error", {}).get("code")


def test_malformed_messages_get_the_json_rpc_error_codes_and_the_server_keeps_serving(mcp_script):
    mcp = RawMCP(mcp_script)
    init = {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "test", "version": "0"}}
    assert "result" in mcp.send(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": init}))
    mcp.proc.stdin.write(json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}) + "\n")

    reply = mcp.send('{"jsonrpc": "2.0", "id": 2, "method": ')  # cut off: not JSON
    assert error_code(reply) == -32700 and reply["id"] is None and reply["jsonrpc"] == "2.0"
    assert error_code(mcp.send("[1, 2, 3]")) == -32600
    assert error_code(mcp.send('{"id": 3, "method": "ping"}')) == -32600  # no "jsonrpc": "2.0"
    assert error_code(mcp.send('{"jsonrpc": "2.0", "id": 4, "method": 42}')) == -32600
    reply = mcp.send('{"jsonrpc": "2.0", "id": 5, "method": "tools/smash"}')
    assert error_code(reply) == -32601 and reply["id"] == 5 and "tools/smash" in reply["error"]["message"]
    reply = mcp.send('{"jsonrpc": "2.0", "id": 6, "method": "tools/call", "params": {"arguments": {}}}')
    assert error_code(reply) == -32602
    reply = mcp.send('{"jsonrpc": "2.0", "id": 7, "method": "tools/call", "params": {"name": "nope"}}')
    assert error_code(reply) == -32602
    call = {"name": "word_count", "arguments": {"text": 12}}
    reply = mcp.send(json.dumps({"jsonrpc": "2.0", "id": 8, "method": "tools/call", "params": call}))
    assert reply["result"]["isError"] is True, "bad arguments are a tool execution error (isError: true)"
    params = {"uri": "book://no/such/thing"}
    reply = mcp.send(json.dumps({"jsonrpc": "2.0", "id": 9, "method": "resources/read", "params": params}))
    assert error_code(reply) == -32002 and reply["error"]["message"]
    reply = mcp.send('{"jsonrpc": "2.0", "id": 10, "method": "ping"}')
    assert reply == {"jsonrpc": "2.0", "id": 10, "result": {}}, "the server stopped serving properly"
    assert mcp.close() == 0, "the server must exit cleanly when stdin closes"
