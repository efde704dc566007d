/// The MCP protocol revisions arrakis speaks, newest first: the four it spoke through the swift-sdk before
/// it had its own JSON-RPC, so that clients and servers that worked then still do.
enum MCPVersion {
  static let supported = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"]
  static var latest: String { supported[0] }

  /// The server's answer to a client's initialize: the client's revision if we speak it, else our latest
  /// (the client then decides whether it can go on).
  static func negotiate(_ requested: String) -> String {
    supported.contains(requested) ? requested : latest
  }
}
