import FoundationEssentials
import Glibc
import Git

/// Whether `--merge` may fast-forward the user's branch: only when it is checked out, still at the
/// baseline, and none of the files the change touches has uncommitted edits (a fast-forward would have to
/// overwrite them).
enum MergeCheck {
  /// nil when the merge may go ahead; otherwise the reason, in words for the user.
  static func refusal(repo: Repository, branch: String?, baseline: String, changes: [FileChange]) -> String? {
    guard repo.state == .none else { return repo.state.inProgressDescription }
    guard let head = try? repo.headState else { return "HEAD cannot be read" }
    guard case .branch(let current, let tip) = head else { return "HEAD is detached; there is no branch to fast-forward" }
    guard current == branch else { return "the checked-out branch changed from \(branch ?? "a detached HEAD") to \(current)" }
    guard tip == baseline else { return "\(current) moved from \(baseline.prefix(10)) to \(tip.prefix(10)) since the run started" }
    let touched = Set(changes.flatMap { [$0.path] + ($0.oldPath.map { [$0] } ?? []) })
    let busy = ((try? repo.dirtyPaths) ?? []).filter(touched.contains)
    if !busy.isEmpty { return "uncommitted changes to \(busy.joined(separator: ", ")), which the change also touches" }
    return nil
  }
}
