import FoundationEssentials
import Glibc
import Ledger

extension Ledger {
  /// The improvement `arrakis improve --next` takes: the best open one of the newest analysis of `workspace`
  /// that still has open improvements (highest impact, then lowest risk, then least effort).
  public func topOpenImprovement(workspace: String) throws -> ImprovementRow? {
    try topOpenImprovement(repository: RepositoryRef(identity: workspace, workspace: workspace))
  }

  /// The same for a repository, whichever clone analyzed it; claims are not looked at (`--dry-run`).
  public func topOpenImprovement(repository: RepositoryRef) throws -> ImprovementRow? {
    let open = try improvements(repository: repository, status: .open)
    guard let newest = open.first?.analysisID else { return nil }
    return Self.queueOrder(open.filter { $0.analysisID == newest }).first
  }

  /// How long an `improve --next` claim lasts when its run never says otherwise (a machine that died with
  /// it): past this another run may take the improvement. A run marks the improvement attempted once it
  /// has its lock and session, long before this.
  public static let claimLifetime: TimeInterval = 3600

  /// Takes the head of the queue for `claimant` (see `Ledger.claimImprovement`): two runs, on any machines
  /// sharing this ledger, never get the same improvement.
  public func claimTopOpenImprovement(repository: RepositoryRef, claimant: String, now: Date = Date()) throws -> ImprovementRow? {
    try claimImprovement(
      repository: repository, claimant: claimant, until: now.addingTimeInterval(Self.claimLifetime), now: now,
      ranked: Self.queueOrder)
  }

  /// Best first: highest impact, then lowest risk, then least effort, then rank within the analysis.
  static func queueOrder(_ candidates: [ImprovementRow]) -> [ImprovementRow] {
    candidates.enumerated().sorted { a, b in
      Self.queueKey(a.element, a.offset) < Self.queueKey(b.element, b.offset)
    }.map(\.element)
  }

  /// Smaller sorts first; unparsable figures rank last.
  static func queueKey(_ i: ImprovementRow, _ position: Int) -> (Int, Int, Int, Int) {
    let effort = i.effort.flatMap { ImprovementTool.efforts.firstIndex(of: $0) } ?? 9
    return (-(i.impact.flatMap(Int.init) ?? 0), i.risk.flatMap(Int.init) ?? 9, effort, position)
  }
}
