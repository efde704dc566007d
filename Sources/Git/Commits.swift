import ArrakisCore
import CGit2

extension Repository {
  /// `git add -A`: stages new, modified and deleted files, skipping what .gitignore excludes.
  public func stageAll() throws {
    try gitBoundary("cannot stage changes in \(workdir ?? gitDir)") {
      var index: OpaquePointer?
      try check(git_repository_index(&index, pointer))
      defer { git_index_free(index) }
      // add_all picks up new and modified files; update_all is what records deletions.
      try check(git_index_add_all(index, nil, GIT_INDEX_ADD_DEFAULT.rawValue, nil, nil))
      try check(git_index_update_all(index, nil, nil, nil))
      try check(git_index_write(index))
    }
  }

  /// Commits the index on HEAD's branch (parent: HEAD, or none on an unborn branch) and returns the new id.
  /// `author`/`committer` default to `defaultSignature()`; trailers belong in `message`, built by the caller.
  @discardableResult
  public func commit(message: String, author: Signature? = nil, committer: Signature? = nil) throws -> String {
    try gitBoundary("cannot commit in \(workdir ?? gitDir)") {
      guard state == .none else {
        throw ArrakisError(.git, "cannot commit: \(state.inProgressDescription)", hint: "finish or abort it first")
      }
      return try commitTree(try indexTree(), message: message, author: author, committer: committer).hex
    }
  }

  /// The tree the index describes, written to the object database.
  func indexTree() throws -> git_oid {
    var index: OpaquePointer?
    try check(git_repository_index(&index, pointer))
    defer { git_index_free(index) }
    var treeID = git_oid()
    try check(git_index_write_tree(&treeID, index))
    return treeID
  }

  /// Writes a commit of `treeID` whose parent is HEAD and, unless `movingHEAD` is false, moves HEAD's
  /// branch to it.
  func commitTree(
    _ treeID: git_oid, message: String, author: Signature?, committer: Signature?, movingHEAD: Bool = true
  ) throws -> git_oid {
    var treeID = treeID
    var tree: OpaquePointer?
    try check(git_tree_lookup(&tree, pointer, &treeID))
    defer { git_tree_free(tree) }
    var parents: [OpaquePointer?] = []
    defer { parents.forEach { git_commit_free($0) } }
    if let head = headCommitID { parents.append(try lookupCommit(try parseOID(head))) }
    let fallback = defaultSignature()
    let authorSig = try (author ?? fallback).make()
    defer { git_signature_free(authorSig) }
    let committerSig = try (committer ?? author ?? fallback).make()
    defer { git_signature_free(committerSig) }
    var id = git_oid()
    try parents.withUnsafeMutableBufferPointer { buffer in
      try check(
        git_commit_create(
          &id, pointer, movingHEAD ? "HEAD" : nil, authorSig, committerSig, "UTF-8", message, tree, buffer.count,
          buffer.baseAddress))
    }
    return id
  }

  /// The text of `path` in `commit` (lossily decoded as UTF-8), or nil when the path is not a file there.
  public func fileContent(at commit: String, path: String) throws -> String? {
    try gitBoundary("cannot read \(path) at \(commit)") {
      let tree = try self.tree(ofRevision: commit)
      defer { git_tree_free(tree) }
      var entry: OpaquePointer?
      let rc = git_tree_entry_bypath(&entry, tree, path)
      if rc == GIT_ENOTFOUND.rawValue { return nil }
      try check(rc)
      defer { git_tree_entry_free(entry) }
      guard git_tree_entry_type(entry) == GIT_OBJECT_BLOB else { return nil }
      return try blobText(git_tree_entry_id(entry)!.pointee)
    }
  }

  /// True when `path` (a file or a directory) exists in the tree of `commit`.
  public func treeHasPath(_ path: String, at commit: String) throws -> Bool {
    try gitBoundary("cannot read tree of \(commit)") {
      let tree = try self.tree(ofRevision: commit)
      defer { git_tree_free(tree) }
      var entry: OpaquePointer?
      let rc = git_tree_entry_bypath(&entry, tree, path)
      if rc == GIT_ENOTFOUND.rawValue { return false }
      try check(rc)
      git_tree_entry_free(entry)
      return true
    }
  }

  /// A blob's bytes as text; nil for the zero id (the missing side of an add or delete).
  func blobText(_ id: git_oid) throws -> String? {
    var id = id
    if git_oid_is_zero(&id) == 1 { return nil }
    var blob: OpaquePointer?
    try check(git_blob_lookup(&blob, pointer, &id))
    defer { git_blob_free(blob) }
    let size = Int(git_blob_rawsize(blob))
    guard size > 0, let raw = git_blob_rawcontent(blob) else { return "" }
    return String(decoding: UnsafeRawBufferPointer(start: raw, count: size), as: UTF8.self)
  }
}
