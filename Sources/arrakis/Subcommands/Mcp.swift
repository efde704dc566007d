import ArgumentParser
import ArrakisCore
import FoundationEssentials
import MCPBridge

struct Mcp: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "mcp",
    _superCommandName: "arrakis",  // parsed as the root for speed: Support/DirectSubcommand.swift
    abstract: "Serve arrakis to other agents as an MCP server on stdin/stdout.",
    discussion: """
      Tools: ask (prompt, model), analyze (path, since, use_model), log (query, since, limit, subcommand),
      log_show (id), stats (window). Each works like its subcommand and is recorded the same way, in the
      ledger that --db or ARRAKIS_DB names; errors come back as tool errors with the subcommand's words.
      Runs until the client closes stdin. Register it with an MCP client, e.g. Claude Code:
        claude mcp add arrakis -- arrakis mcp

      The other direction, MCP servers' tools inside `arrakis code`: see --mcp-config there.
      """)

  @OptionGroup var ledger: LedgerOptions

  func run() async throws {
    try await reportingErrors {
      try await MCPToolServer.serve(
        name: "arrakis", version: ArrakisVersion.string,
        instructions: "arrakis records every ask, code, analyze and improve run in a SQLite ledger. Use log and log_show to read it, stats for its figures, analyze for a repository's hotspots, ask to put a question to Claude.",
        tools: McpTools(ledgerPath: try ledger.location().path).all)
    }
  }
}
