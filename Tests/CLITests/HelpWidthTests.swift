import Foundation
import TestSupport
import Testing

/// `--help` at 80 columns: no line longer than the terminal (usage lines aside, argument-parser keeps
/// those whole), and no line broken early, which is what hard-wrapped source text gives once
/// argument-parser wraps it again.
@Suite struct HelpWidthTests {
  @Test(arguments: [[], ["ask"], ["code"], ["analyze"], ["improve"], ["rollback"], ["config"], ["log"], ["log", "stats"], ["doctor"]])
  func helpIsNotRaggedAt80Columns(command: [String]) async throws {
    let r = try await CLIRunner.run(command + ["--help"], env: ["COLUMNS": "80"])
    #expect(r.status == 0)
    let lines = r.stdout.components(separatedBy: "\n")
    for line in lines where !line.hasPrefix("USAGE:") && !line.hasPrefix("  arrakis") {
      #expect(line.count <= 80, "\(command): \(line.count) columns: \(line)")
    }
    // Before USAGE: prose. A line followed by more prose must have been full: its next word would not fit.
    let prose = lines.prefix { !$0.hasPrefix("USAGE:") }
    for (a, b) in zip(prose, prose.dropFirst()) {
      guard !a.isEmpty, !b.isEmpty, !a.hasPrefix(" "), !b.hasPrefix(" "), !a.hasSuffix(":") else { continue }
      let next = b.split(separator: " ").first.map(String.init) ?? ""
      if next.hasSuffix(":") { continue }  // "Cron:", "Rules:": a new item on purpose
      // argument-parser fills lines up to 79 columns.
      #expect(a.count + 1 + next.count > 79, "\(command): broken early after \"\(a)\" (\(a.count) columns), before \"\(next)\"")
    }
  }
}
