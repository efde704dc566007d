/// Two files that keep changing in the same commits: hidden coupling worth naming in an analysis.
public struct CoChange: Codable, Equatable, Sendable {
  /// The pair in path order (`a < b`).
  public var a: String
  public var b: String
  public var count: Int

  public init(a: String, b: String, count: Int) {
    self.a = a
    self.b = b
    self.count = count
  }
}

extension Hotspots {
  /// The most frequent file pairs across commits (each element is one commit's changed paths).
  /// Commits touching more than `maxFilesPerCommit` files are skipped: mass renames and reformatting
  /// say nothing about coupling and would cost quadratically many pairs.
  public static func coChanges(
    commits: [[String]], minCount: Int = 2, limit: Int = 20, maxFilesPerCommit: Int = 50
  ) -> [CoChange] {
    var counts: [String: [String: Int]] = [:]
    for files in commits {
      let unique = Array(Set(files)).sorted()
      guard unique.count >= 2, unique.count <= maxFilesPerCommit else { continue }
      for i in 0..<(unique.count - 1) {
        for j in (i + 1)..<unique.count { counts[unique[i], default: [:]][unique[j], default: 0] += 1 }
      }
    }
    var pairs: [CoChange] = []
    for (a, partners) in counts {
      for (b, n) in partners where n >= max(2, minCount) { pairs.append(CoChange(a: a, b: b, count: n)) }
    }
    pairs.sort { ($0.count, $1.a, $1.b) > ($1.count, $0.a, $0.b) }
    return Array(pairs.prefix(limit))
  }
}
