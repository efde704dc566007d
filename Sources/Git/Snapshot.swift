import ArrakisCore
import CGit2

extension Repository {
  /// Records the working tree as it is now (`git add -A`, then a commit whose parent is HEAD) without
  /// moving any branch: a dangling commit that `changedFiles(from:to:)` can diff against, so a gate can
  /// see what changed before deciding whether to commit it. Meant for arrakis's own worktrees: it stages.
  public func snapshotCommit(message: String = "arrakis: snapshot") throws -> String {
    try stageAll()
    return try gitBoundary("cannot snapshot \(workdir ?? gitDir)") {
      var index: OpaquePointer?
      try check(git_repository_index(&index, pointer))
      defer { git_index_free(index) }
      var treeID = git_oid()
      try check(git_index_write_tree(&treeID, index))
      var tree: OpaquePointer?
      try check(git_tree_lookup(&tree, pointer, &treeID))
      defer { git_tree_free(tree) }
      var parents: [OpaquePointer?] = []
      defer { parents.forEach { git_commit_free($0) } }
      if let head = headCommitID { parents.append(try lookupCommit(try parseOID(head))) }
      let signature = try Signature.fallback.make()
      defer { git_signature_free(signature) }
      var id = git_oid()
      try parents.withUnsafeMutableBufferPointer { buffer in
        try check(git_commit_create(
          &id, pointer, nil, signature, signature, "UTF-8", message, tree, buffer.count, buffer.baseAddress))
      }
      return id.hex
    }
  }
}
