import ArrakisCore
import FoundationEssentials
import Glibc
import Ledger

/// The `arrakis log` listing: one line per session, newest first.
enum SessionTable {
  static func render(_ rows: [SessionRow], color: Bool) -> String {
    var out = Format.pad("ID", 9) + Format.pad("TIME", 17) + Format.pad("SYSTEM", 9) + Format.pad("WORKSPACE", 24)
      + Format.pad("MODEL", 20) + Format.pad("STATUS", 12) + Format.padLeft("TOKENS", 14) + Format.padLeft("COST", 9) + "\n"
    for r in rows {
      let status = r.status.rawValue
      let shownStatus = color ? colored(status) : Format.pad(status, 11)
      let tokens = Format.tokens(r.inputTokens + r.cacheCreationTokens + r.cacheReadTokens) + "/" + Format.tokens(r.outputTokens)
      out += Format.pad(String(r.id.prefix(8)), 9) + Format.pad(Format.localTime(r.startedAt), 17)
        + Format.pad(r.systemType.rawValue, 9) + Format.pad(Format.path(r.workspace, width: 23), 24)
        + Format.pad(r.model ?? "-", 20) + shownStatus + " " + Format.padLeft(tokens, 14)
        + Format.padLeft(Format.cost(r.costUSD), 9) + "\n"
    }
    return out
  }

  private static func colored(_ status: String) -> String {
    let code: String
    switch status {
    case "success": code = "32"
    case "failed": code = "31"
    case "interrupted", "running": code = "33"
    default: code = "0"
    }
    return "\u{1B}[\(code)m" + Format.pad(status, 11) + "\u{1B}[0m"
  }
}
