import ArrakisCore
import Foundation
import Testing

/// The NSString stand-ins in Sources/ArrakisCore/Essentials answer what Foundation answers.
@Suite struct EssentialsHelpersTests {
  /// What NSString answers (read off Foundation on Linux, which traps on a path without a slash).
  @Test func pathTextAnswersAsNSString() {
    let table: [(path: String, parent: String, name: String, ext: String)] = [
      ("/a/b", "/a", "b", ""), ("/a", "/", "a", ""), ("a", "", "a", ""), ("a/b/", "a", "b", ""), ("/", "/", "/", ""),
      ("a//b", "a", "b", ""), ("/a/b.tar.gz", "/a", "b.tar.gz", "gz"), ("x/.profile", "x", ".profile", ""),
      ("noext.", "", "noext.", ""), ("/a/b/c/", "/a/b", "c", ""),
    ]
    for row in table {
      #expect(row.path.deletingLastPathComponent == row.parent, "parent of \(row.path)")
      #expect(row.path.lastPathComponent == row.name, "name of \(row.path)")
      #expect(row.path.pathExtension == row.ext, "extension of \(row.path)")
    }
    for (a, b) in [("a", "b"), ("a/", "b"), ("/", "b"), ("", "b")] {
      #expect(a.appendingPathComponent(b) == (a as NSString).appendingPathComponent(b), "\(a) + \(b)")
    }
  }

  @Test func symlinksResolveAsNSStringResolvesThem() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("arrakis-links-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir + "/real/sub", withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try FileManager.default.createSymbolicLink(atPath: dir + "/link", withDestinationPath: dir + "/real")
    for path in [dir + "/link/sub", dir + "/link/./sub/..", dir + "/link/missing/x", dir + "/real"] {
      #expect(path.resolvingSymlinksInPath == (path as NSString).resolvingSymlinksInPath, "\(path)")
    }
  }

  @Test func cFormatMatchesStringFormat() {
    #expect(String(cFormat: "%.2f", 3.14159) == String(format: "%.2f", 3.14159))
    #expect(String(cFormat: "%04d-%02d-%02d", 2026, 12, 2) == "2026-12-02")
    #expect(String(cFormat: "%g", 0.000125) == String(format: "%g", 0.000125))
    #expect(String(cFormat: "%.1f%%", 99.95) == String(format: "%.1f%%", 99.95))
    let long = String(cFormat: "%.60f", 1.0)
    #expect(long.count == 62)
  }

  @Test func trimmingMatchesCharacterSets() {
    for text in ["  a b \t", "\n\t x \r\n", "", "   ", "\u{00A0}y\u{2003}", "z"] {
      #expect(text.trimmed == text.trimmingCharacters(in: .whitespacesAndNewlines), "trimmed \(text.debugDescription)")
      #expect(text.trimmingSpacesAndTabs == text.trimmingCharacters(in: .whitespaces), "spaces \(text.debugDescription)")
    }
    #expect("**# title #*".trimming(charactersIn: " #*") == "title")
    #expect("a.b.c".lastRange(of: ".").map { "a.b.c"[$0.upperBound...] } == "c")
    #expect("abc".lastRange(of: "x") == nil)
    #expect("ab".paddedToWidth(4) == "ab  " && "abcdef".paddedToWidth(4) == "abcd")
  }

  /// Four threads incrementing one counter: without mutual exclusion increments are lost.
  @Test func lockAndThread() async {
    let lock = Lock()
    final class Box: @unchecked Sendable { var n = 0 }
    let box = Box()
    await withTaskGroup(of: Void.self) { group in
      for _ in 0..<4 {
        group.addTask {
          await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            DetachedThread.start {
              for _ in 0..<100_000 { lock.withLock { box.n += 1 } }
              done.resume()
            }
          }
        }
      }
    }
    #expect(lock.withLock { box.n } == 400_000)
  }
}

@Suite struct PercentDecodingTests {
  @Test func decodesAsNSStringDoes() {
    for text in ["a%20b", "/tmp/my%2Fdb", "plain", "%E2%82%AC", "%zz", "50%", "%C3%28", ""] {
      #expect(text.removingPercentEncoding() == (text as NSString).removingPercentEncoding, "\(text)")
    }
  }
}
