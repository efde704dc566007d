import CGit2
import FoundationEssentials
import Glibc

/// One commit as `git log` shows it. `files` is filled only by `walk`, for non-merge commits.
public struct CommitInfo: Equatable, Sendable {
  public var id: String
  public var shortID: String
  public var summary: String
  public var authorName: String
  public var authorEmail: String
  /// Author time.
  public var time: Date
  public var parentCount: Int
  /// The first parent's id (what `files` is diffed against); nil for a root commit.
  public var firstParentID: String?
  public var files: [FileStat]

  public var isMerge: Bool { parentCount > 1 }
}

/// One line of `git log --numstat`: lines added and deleted in one path, against the first parent.
public struct FileStat: Equatable, Sendable {
  public var path: String
  public var additions: Int
  public var deletions: Int
  /// Binary files have no line counts (git prints "-\t-"); additions and deletions are 0.
  public var isBinary: Bool

  public init(path: String, additions: Int, deletions: Int, isBinary: Bool) {
    self.path = path
    self.additions = additions
    self.deletions = deletions
    self.isBinary = isBinary
  }
}

extension Repository {
  /// The newest `limit` commits reachable from HEAD, newest first; empty on an unborn branch.
  public func recentCommits(limit: Int) throws -> [CommitInfo] {
    try gitBoundary("cannot read history") {
      try revwalk(since: nil, limit: limit, skipMerges: false)
    }
  }

  /// Non-merge commits reachable from HEAD, newest first, committed at or after `since`, at most `limit`,
  /// each with its per-file line counts against its first parent (`git log --numstat --no-merges --no-renames`).
  /// `commits(since:limit:)` followed by `numstat(of:)`; callers that keep statistics of their own (the
  /// analyze cache) call the two halves themselves and diff only what they have not seen.
  public func walk(since: Date? = nil, limit: Int? = nil) throws -> [CommitInfo] {
    var commits = try commits(since: since, limit: limit)
    let stats = try numstat(of: commits.map(\.id))
    for i in commits.indices { commits[i].files = stats[i] }
    return commits
  }

  /// The commits `walk` returns, without their file statistics (`files` is empty): no diff is computed, so
  /// this costs one commit read per commit. Commits older than `since` are hidden together with their
  /// ancestors (git's own rule for `--since`), so the walk ends at the window instead of reading all history.
  public func commits(since: Date? = nil, limit: Int? = nil) throws -> [CommitInfo] {
    try gitBoundary("cannot walk history") {
      try revwalk(since: since, limit: limit, skipMerges: true)
    }
  }

  /// True when `ancestor` is `descendant` or one of its ancestors.
  public func isAncestor(_ ancestor: String, of descendant: String) throws -> Bool {
    try gitBoundary("cannot compare \(ancestor) and \(descendant)") {
      var a = try commitOID(ancestor)
      var d = try commitOID(descendant)
      if git_oid_equal(&a, &d) == 1 { return true }
      return try check(git_graph_descendant_of(pointer, &d, &a)) == 1
    }
  }

  /// The best common ancestor of two revisions, or nil when their histories are unrelated.
  public func mergeBase(_ one: String, _ two: String) throws -> String? {
    try gitBoundary("cannot find merge base of \(one) and \(two)") {
      var a = try commitOID(one)
      var b = try commitOID(two)
      var base = git_oid()
      let rc = git_merge_base(&base, pointer, &a, &b)
      if rc == GIT_ENOTFOUND.rawValue { return nil }
      try check(rc)
      return base.hex
    }
  }

  /// Walks from HEAD in git's default order (newest first, incremental, so a short walk stays cheap) and
  /// builds a CommitInfo per commit, with `files` empty.
  private func revwalk(since: Date?, limit: Int?, skipMerges: Bool) throws -> [CommitInfo] {
    if try check(git_repository_head_unborn(pointer)) == 1 { return [] }
    var walker: OpaquePointer?
    try check(git_revwalk_new(&walker, pointer))
    defer { git_revwalk_free(walker) }
    try check(git_revwalk_push_head(walker))
    var result: [CommitInfo] = []
    // The walker keeps the payload pointer for its whole life, so it must not be a temporary `&var`.
    let cutoff = UnsafeMutablePointer<HideOlder>.allocate(capacity: 1)
    cutoff.initialize(to: HideOlder(repo: pointer, since: since.map { git_time_t($0.timeIntervalSince1970) } ?? 0))
    defer { cutoff.deallocate() }
    if since != nil { try check(git_revwalk_add_hide_cb(walker, hideOlder, cutoff)) }
    var oid = git_oid()
    while limit.map({ result.count < $0 }) ?? true {
      let rc = git_revwalk_next(&oid, walker)
      if rc == GIT_ITEROVER.rawValue { break }
      try check(rc)
      let commit = try lookupCommit(oid)
      defer { git_commit_free(commit) }
      let parents = Int(git_commit_parentcount(commit))
      if skipMerges && parents > 1 { continue }
      let author = git_commit_author(commit)!.pointee
      let id = oid.hex
      let firstParent = parents > 0 ? git_commit_parent_id(commit, 0)?.pointee.hex : nil
      result.append(
        CommitInfo(
          id: id, shortID: String(id.prefix(7)),
          summary: git_commit_summary(commit).map { String(cString: $0) } ?? "",
          authorName: String(cString: author.name), authorEmail: String(cString: author.email),
          time: Date(timeIntervalSince1970: TimeInterval(author.when.time)),
          parentCount: parents, firstParentID: firstParent, files: []))
    }
    return result
  }
}

/// The payload of `hideOlder`: the repository to look commits up in and the cut-off in seconds.
private struct HideOlder {
  var repo: OpaquePointer
  var since: git_time_t
}

/// A revwalk hide callback: non-zero hides the commit and its ancestors.
private func hideOlder(_ oid: UnsafePointer<git_oid>?, _ payload: UnsafeMutableRawPointer?) -> Int32 {
  let cutoff = payload!.assumingMemoryBound(to: HideOlder.self).pointee
  var commit: OpaquePointer?
  guard git_commit_lookup(&commit, cutoff.repo, oid) == 0 else { return 0 }
  defer { git_commit_free(commit) }
  return git_commit_time(commit) < cutoff.since ? 1 : 0
}

