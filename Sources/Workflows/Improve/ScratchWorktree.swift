import ArrakisCore
import FoundationEssentials
import Glibc
import Git

/// The branch `arrakis/improve/<short-id>` checked out in a linked worktree outside the user's tree.
/// Everything improve writes happens here, so a crash can leave nothing in the user's checkout.
public final class ScratchWorktree {
  public static let branchPrefix = "arrakis/improve/"
  /// git's worktree names; `Repository.pruneStale(prefix:)` removes unlocked ones after a crash.
  public static let namePrefix = "arrakis-"

  public let name: String
  public let branch: String
  public let path: String
  /// Open on the worktree while the run uses it; released before the worktree is removed.
  public private(set) var repository: Repository?

  public init(shortID: String, repository user: Repository, root: String) {
    name = Self.namePrefix + shortID
    branch = Self.branchPrefix + shortID
    path = Self.directory(for: user, root: root) + "/" + shortID
  }

  /// One directory per repository under `root`, named so a person can tell which repository it serves
  /// and so two repositories with the same name never share one.
  public static func directory(for repository: Repository, root: String) -> String {
    let common = repository.commonDir
    let name = URL(fileURLWithPath: repository.workdir ?? common).lastPathComponent
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a: stable across runs, unlike Hasher
    for byte in common.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return root + "/" + name + "-" + String(String(hash, radix: 16).suffix(8))
  }

  /// Creates the branch at `baseline` and checks it out here.
  public func create(in user: Repository, at baseline: String) throws {
    try user.createBranch(branch, at: baseline)
    repository = try user.addWorktree(name: name, path: path, branch: branch)
  }

  /// Removes the worktree (directory and git's record); the branch stays unless `deleteBranch`.
  public func remove(from user: Repository, deleteBranch: Bool) {
    repository = nil
    if (try? user.listWorktrees())?.contains(where: { $0.name == name }) == true {
      try? user.removeWorktree(name: name)
    }
    try? FileManager.default.removeItem(atPath: path)
    if deleteBranch && user.branchExists(branch) { try? user.deleteBranch(branch) }
  }
}
