import ArrakisCore
import Foundation
import Testing

@testable import Agent

/// Not a test: `ARRAKIS_GREP_BENCH=/path/to/tree swift test --filter grepBenchmark` prints in-process timings
/// of the built-in engine and the rg-backed tool on that tree (a debug build: for figures against plain rg,
/// bench/grep-bench.sh times a release driver, bench/GrepDriver). Skipped otherwise.
@Suite struct GrepBenchmark {
  @Test func grepBenchmark() async throws {
    guard let tree = ProcessInfo.processInfo.environment["ARRAKIS_GREP_BENCH"] else { return }
    let patterns: [JSONValue] = [
      ["pattern": "TokenSyntax"],
      ["pattern": "\\bfunc\\s+\\w+\\(", "output_mode": "count"],
      ["pattern": "deprecated", "output_mode": "content", "-i": true],
      ["pattern": "[A-Z][a-z]+Syntax\\.init", "output_mode": "content"],
    ]
    let engines: [(String, GrepEngine)] = [("built-in", .builtin)] + (ProcessRunner.which("rg").map { [("tool+rg", GrepEngine.ripgrep(path: $0))] } ?? [])
    for p in patterns {
      var outputs: [String] = []
      for (label, engine) in engines {
        let ctx = ToolContext(root: tree, grepEngine: engine)
        var limits = ctx.limits
        limits.grepChars = .max
        ctx.limits = limits
        _ = await call("Grep", p, ctx)  // warm the page cache
        var best = Double.infinity
        var text = ""
        for _ in 0..<3 {
          let t = await elapsed { text = await call("Grep", p, ctx).text }
          best = min(best, t)
        }
        outputs.append(text)
        print(String(format: "%-10@ %8.1f ms  %@", label as NSString, best * 1000, p.serialized() as NSString))
      }
      if outputs.count == 2 && outputs[0] != outputs[1] {
        let dir = NSTemporaryDirectory()
        try? outputs[0].write(toFile: dir + "/grep-builtin.txt", atomically: true, encoding: .utf8)
        try? outputs[1].write(toFile: dir + "/grep-rg.txt", atomically: true, encoding: .utf8)
        print("  (outputs differ: see \(dir)grep-builtin.txt and grep-rg.txt)")
      }
    }
  }
}
