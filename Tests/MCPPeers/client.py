"""Drives an MCP stdio server with the official Python SDK's client, the way another agent would.

usage: client.py CALLS_JSON -- COMMAND [ARGS...]
CALLS_JSON is a JSON array of {"tool": NAME, "arguments": {...}}. Prints one JSON object on stdout:
{"server": …, "protocol": …, "tools": [{name, description, inputSchema}], "calls": [{content, structured, isError}]}
The server's environment is ours (the test sets ARRAKIS_DB, ANTHROPIC_BASE_URL and so on).
"""
import asyncio
import json
import os
import sys

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client


async def main() -> None:
    split = sys.argv.index("--")
    calls = json.loads(sys.argv[1])
    command, *args = sys.argv[split + 1 :]
    params = StdioServerParameters(command=command, args=args, env=dict(os.environ))
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            init = await session.initialize()
            listed = await session.list_tools()
            out = {
                "server": init.serverInfo.name,
                "protocol": init.protocolVersion,
                "instructions": init.instructions,
                "tools": [
                    {"name": t.name, "description": t.description, "inputSchema": t.inputSchema,
                     "readOnly": t.annotations.readOnlyHint if t.annotations else None}
                    for t in listed.tools
                ],
                "calls": [],
            }
            for call in calls:
                result = await session.call_tool(call["tool"], call.get("arguments", {}))
                out["calls"].append({
                    "content": [c.text for c in result.content if c.type == "text"],
                    "structured": result.structuredContent,
                    "isError": result.isError,
                })
    print(json.dumps(out))


asyncio.run(main())
