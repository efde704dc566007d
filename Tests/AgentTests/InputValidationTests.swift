import ArrakisCore
import Foundation
import Testing

@testable import Agent

/// A NUL in a path parameter is refused by every file tool before anything touches the disk: the system
/// calls would stop at the NUL (`a.txt\0.sh` writes `a.txt`) while the ledger records the whole name.
@Suite struct InputValidationTests {
  @Test func aNulInAnyPathIsRefused() async {
    let ws = TempWorkspace()
    ws.write("a.txt", "alpha\n")
    let ctx = ws.context()
    let calls: [(String, JSONValue)] = [
      ("Write", ["file_path": "new.txt\u{0}.sh", "content": "x"]),
      ("Read", ["file_path": "a.txt\u{0}ignored"]),
      ("Edit", ["file_path": "a.txt\u{0}.bak", "old_string": "alpha", "new_string": "beta"]),
      ("Glob", ["pattern": "*.txt\u{0}", "path": "."]),
      ("Glob", ["pattern": "*", "path": ".\u{0}/etc"]),
      ("Grep", ["pattern": "alpha", "path": "a.txt\u{0}"]),
    ]
    for (tool, input) in calls {
      let o = await call(tool, input, ctx)
      #expect(o.isError, "\(tool) accepted a NUL in a path: \(o.text.prefix(200))")
      #expect(o.text.contains("NUL"), "\(tool): \(o.text.prefix(200))")
    }
    #expect(!FileManager.default.fileExists(atPath: ws.root + "/new.txt"))
    #expect(ws.read("a.txt") == "alpha\n")
  }
}
