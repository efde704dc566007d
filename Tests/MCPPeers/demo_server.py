"""A small MCP server on the official Python SDK's FastMCP, serving tools to `arrakis code --mcp-config`.

usage: demo_server.py [--fail-at-start]
Every call it answers is appended as a line to $DEMO_CALLS_FILE (when set), so that a test can tell a
call that reached the server from one that arrakis denied. With --fail-at-start it writes a reason to
stderr and exits 1 before speaking MCP, like a server with a missing credential.
"""
import os
import sys
import time

try:
    from mcp.server.fastmcp import FastMCP
except ImportError:  # mcp 2.x renamed FastMCP to MCPServer
    from mcp.server.mcpserver import MCPServer as FastMCP

if "--fail-at-start" in sys.argv:
    print("demo: cannot open the database /nonexistent/demo.db", file=sys.stderr)
    sys.exit(1)

server = FastMCP("demo")


def record(line: str) -> None:
    path = os.environ.get("DEMO_CALLS_FILE")
    if path:
        with open(path, "a") as f:
            f.write(line + "\n")


@server.tool()
def add(a: int, b: int) -> str:
    """Add two integers."""
    record(f"add {a} {b}")
    return str(a + b)


@server.tool()
def hang(seconds: float = 3600) -> str:
    """Sleep, then answer (for timeouts)."""
    record("hang")
    time.sleep(seconds)
    return "woke up"


@server.tool()
def crash() -> str:
    """Exit the server in the middle of a call."""
    record("crash")
    print("demo: crashing on purpose", file=sys.stderr, flush=True)
    os._exit(3)


if __name__ == "__main__":
    server.run()
