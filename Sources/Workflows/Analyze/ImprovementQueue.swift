import Ledger

extension Ledger {
  /// The improvement `arrakis improve --next` takes: the best open one of the newest analysis of `workspace`
  /// that still has open improvements (highest impact, then lowest risk, then least effort).
  public func topOpenImprovement(workspace: String) throws -> ImprovementRow? {
    let open = try improvements(workspace: workspace, status: .open)
    guard let newest = open.first?.analysisID else { return nil }
    let candidates = open.filter { $0.analysisID == newest }
    return candidates.enumerated().min { a, b in
      Self.queueKey(a.element, a.offset) < Self.queueKey(b.element, b.offset)
    }?.element
  }

  /// Smaller sorts first; unparsable figures rank last.
  static func queueKey(_ i: ImprovementRow, _ position: Int) -> (Int, Int, Int, Int) {
    let effort = i.effort.flatMap { ImprovementTool.efforts.firstIndex(of: $0) } ?? 9
    return (-(i.impact.flatMap(Int.init) ?? 0), i.risk.flatMap(Int.init) ?? 9, effort, position)
  }
}
