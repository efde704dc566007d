import ArrakisCore
import FoundationEssentials
import Glibc
import Git

/// The runs around the agent's work that must leave the worktree as they found it: a test or metric run
/// (whatever it writes is taken away and remembered as a test artifact), and `--metric`'s interleaved series.
extension ImproveRun {
  /// Runs `body` (a test or metric run) and then takes away whatever it wrote in the worktree.
  func runLeavingNoTrace<T>(in worktree: Repository, _ body: () throws -> T) throws -> T {
    let residue = try RunResidue(worktree: worktree, root: scratch.path)
    defer { testArtifacts.formUnion((try? residue.restore(worktree: worktree, baseline: baseline)) ?? []) }
    return try body()
  }

  /// Both series, interleaved: the baseline's version of every changed file, measure, the agent's version,
  /// measure; `runs` times. Ends with the agent's tree in place.
  func measure(_ probe: MetricProbe, changes: [FileChange], in worktree: Repository) throws -> MetricReport {
    func place(_ content: String?, _ rel: String) throws {
      let file = scratch.path + "/" + rel
      if let content { try RunResidue.write(Data(content.utf8), to: file) } else { try? FileManager.default.removeItem(atPath: file) }
    }
    /// The baseline's files (`old`) or the agent's.
    func put(old: Bool) throws {
      for change in changes {
        if let from = change.oldPath, from != change.path {
          try place(old ? change.oldContent : nil, from)
          try place(old ? nil : change.newContent, change.path)
        } else {
          try place(old ? change.oldContent : change.newContent, change.path)
        }
      }
    }
    var before: [Double] = [], after: [Double] = []
    defer { try? put(old: false) }
    for i in 1...max(1, probe.spec.runs) {
      waiting("metric: run \(i) of \(probe.spec.runs)")
      try put(old: true)
      before.append(try runLeavingNoTrace(in: worktree) { try probe.measure(in: scratch.path) })
      try put(old: false)
      do {
        after.append(try runLeavingNoTrace(in: worktree) { try probe.measure(in: scratch.path) })
      } catch let error as ArrakisError {
        var r = MetricReport.decide(probe.spec, baseline: before, candidate: [])
        r.verdict = "no significant improvement: the metric fails on the change (\(error.message))"
        return r
      }
    }
    return MetricReport.decide(probe.spec, baseline: before, candidate: after)
  }
}
