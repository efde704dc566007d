import ArrakisCore
import Glibc

/// An MCP server on this process's stdin/stdout. Runs until the client closes stdin, then lets calls in
/// flight finish and their replies be written, so that their sessions are recorded to the end.
public enum MCPToolServer {
  public static func serve(name: String, version: String, instructions: String?, tools: [ServedTool]) async throws {
    // A client that goes away mid-answer must not kill us with SIGPIPE before the ledger is written.
    signal(SIGPIPE, SIG_IGN)
    let session = MCPServerSession(
      name: name, version: version, instructions: instructions, tools: tools,
      writer: LineWriter(fd: STDOUT_FILENO, label: "arrakis.mcp.stdout"))
    await withCheckedContinuation { (end: CheckedContinuation<Void, Never>) in
      LineReader.start(fd: STDIN_FILENO, onLine: { session.receive($0) }, onEnd: { end.resume() })
    }
    await session.inFlight.drained()
    await session.writer.flush()
  }
}
