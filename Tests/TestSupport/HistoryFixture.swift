import Foundation

/// A real repository with a long, dated history, written in one `git fast-import` (a few hundred commits
/// cost one process instead of two per commit): three authors, every fifth message a fix, each commit
/// adding and deleting lines in one to three of twelve files, a binary file now and then, a deletion, a
/// path with a tab in its name, and a side branch merged back (a merge commit, which analyze skips).
public enum HistoryFixture {
  /// Creates the repository at `path` (an empty or missing directory) with `commits` commits on `main`,
  /// one hour apart, the last one `endingDaysAgo` days before now; checks out `main`.
  public static func make(at path: String, commits: Int, endingDaysAgo: Double = 1) throws {
    try GitFixture.sh("git init -q -b main .", cwd: path)
    let stream = path + "/.git/fixture-stream"
    try Data(script(commits: commits, endingDaysAgo: endingDaysAgo).utf8).write(to: URL(fileURLWithPath: stream))
    try GitFixture.sh("git fast-import --quiet < .git/fixture-stream && rm .git/fixture-stream && git checkout -q -f main", cwd: path)
  }

  static func script(commits: Int, endingDaysAgo: Double) -> String {
    var rng: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next(_ bound: Int) -> Int {
      rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((rng >> 33) % UInt64(bound))
    }
    var files: [String: [String]] = [:]
    for i in 0..<12 { files["src/mod\(i).swift"] = (0..<30).map { "let v\(i)_\($0) = \($0)" } }
    files["docs/a\tb.txt"] = ["tabbed"]
    let authors = ["Ada <ada@example.com>", "Brian <brian@example.com>", "Chen <chen@example.com>"]
    let end = Int(Date().timeIntervalSince1970 - endingDaysAgo * 86_400)
    var out = ""
    var mark = 0
    func data(_ text: String) -> String { "data \(text.utf8.count)\n\(text)\n" }
    func quoted(_ path: String) -> String { path.contains("\t") ? "\"" + path.replacingOccurrences(of: "\t", with: "\\t") + "\"" : path }
    func header(_ ref: String, _ c: Int, _ message: String) -> String {
      mark += 1
      let who = authors[c % authors.count]
      let when = "\(end - (commits - 1 - c) * 3600) +0000"
      return "commit refs/heads/\(ref)\nmark :\(mark)\nauthor \(who) \(when)\ncommitter \(who) \(when)\n" + data(message)
    }
    var sideMark = 0
    for c in 0..<commits {
      out += header("main", c, (c % 5 == 0 ? "fix: " : "change ") + "\(c)")
      if c == 0 {
        for path in files.keys.sorted() { out += "M 100644 inline \(quoted(path))\n" + data(files[path]!.joined(separator: "\n") + "\n") }
      }
      let paths = files.keys.sorted().filter { $0.hasPrefix("src/") }
      for _ in 0..<(1 + next(3)) {
        let path = paths[next(paths.count)]
        var lines = files[path]!
        for _ in 0..<(1 + next(5)) { lines.insert("// edit \(c) \(next(1000))", at: next(lines.count + 1)) }
        for _ in 0..<next(3) where lines.count > 5 { lines.remove(at: next(lines.count)) }
        files[path] = lines
        out += "M 100644 inline \(path)\n" + data(lines.joined(separator: "\n") + "\n")
      }
      if c % 17 == 3 { out += "M 100644 inline assets/blob\(c).bin\n" + data("\u{0}\u{1}binary \(c)") }
      if c == commits / 2, files.removeValue(forKey: "src/mod11.swift") != nil { out += "D src/mod11.swift\n" }
      if c % 29 == 7 { out += "M 100644 inline \(quoted("docs/a\tb.txt"))\n" + data("tabbed \(c)\n") }
      out += "\n"
      if c == commits / 3 {
        // A side branch from here, two commits, merged back at two thirds.
        let from = mark
        out += header("side", c, "side one") + "from :\(from)\n"
        out += "M 100644 inline side.txt\n" + data("one\n") + "\n"
        out += header("side", c, "side two") + "M 100644 inline side.txt\n" + data("one\ntwo\n") + "\n"
        sideMark = mark
      }
      if c == 2 * commits / 3, sideMark > 0 {
        out += header("main", c, "Merge branch 'side'")
        out += "merge :\(sideMark)\nM 100644 inline side.txt\n" + data("one\ntwo\n") + "\n"
      }
    }
    return out
  }
}
