import ArrakisCore
import CGit2
import FoundationEssentials
import Glibc
import Dispatch

extension Repository {
  /// Everything besides the commit that the figures of `numstat(of:)` depend on: against the first
  /// parent, no rename detection, submodules ignored, libgit2's binary check. A store of statistics keyed
  /// by commit id must key by this too; bump it whenever the diff options below change, so that figures
  /// computed the old way are not mixed with new ones. Short: it is stored with every commit.
  public static let numstatVariant = "numstat-v1"

  /// Below this many commits per worker, opening more repository handles costs more than it saves.
  static let commitsPerWorker = 32

  /// Per-file line counts of each commit of `ids` against its first parent (the empty tree for a root
  /// commit), in the order of `ids`: what `git log --numstat --no-merges --no-renames` prints.
  ///
  /// A large batch is split among `workers` threads (default: one per core). A libgit2 repository handle
  /// must not be shared between threads, so each worker opens one of its own on this repository and claims
  /// small disjoint runs of `ids` until none are left; each result goes to its commit's slot, so the
  /// output does not depend on the scheduling. `progress` is called from the workers with the number of
  /// commits just finished (it must be thread-safe). Stops with exit 130 on Ctrl-C.
  public func numstat(
    of ids: [String], workers: Int? = nil, progress: (@Sendable (Int) -> Void)? = nil
  ) throws -> [[FileStat]] {
    try gitBoundary("cannot diff history") {
      tuneForHistoryReads()
      let oids = try ids.map(parseOID)
      let wanted = workers ?? ProcessInfo.processInfo.activeProcessorCount
      let count = max(1, min(wanted, oids.count / Self.commitsPerWorker))
      if count == 1 {
        var differ = try NumstatDiffer(repository: pointer)
        return try oids.map { oid in
          if Interrupt.requested { throw ArrakisError(.interrupted, "interrupted while diffing history") }
          defer { progress?(1) }
          return try differ.stats(of: oid)
        }
      }
      return try ParallelNumstat(oids: oids, path: commonDir, workers: count, progress: progress).run()
    }
  }
}

/// One worker's diff state: its repository and one diff-options value reused for every commit (no
/// context lines, no rename detection, no patch text kept).
struct NumstatDiffer {
  let repository: OpaquePointer
  var options = git_diff_options()

  init(repository: OpaquePointer) throws {
    self.repository = repository
    try check(git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)))
    options.context_lines = 0
    options.interhunk_lines = 0
    options.flags = GIT_DIFF_IGNORE_SUBMODULES.rawValue
  }

  mutating func stats(of oid: git_oid) throws -> [FileStat] {
    var oid = oid
    var commit: OpaquePointer?
    try check(git_commit_lookup(&commit, repository, &oid))
    defer { git_commit_free(commit) }
    var tree: OpaquePointer?
    try check(git_commit_tree(&tree, commit))
    defer { git_tree_free(tree) }
    var parentTree: OpaquePointer?
    if git_commit_parentcount(commit) > 0 {
      var parent: OpaquePointer?
      try check(git_commit_parent(&parent, commit, 0))
      defer { git_commit_free(parent) }
      try check(git_commit_tree(&parentTree, parent))
    }
    defer { git_tree_free(parentTree) }
    var diff: OpaquePointer?
    try check(git_diff_tree_to_tree(&diff, repository, parentTree, tree, &options))
    defer { git_diff_free(diff) }
    return try lineStats(of: diff!)
  }
}

/// The threads of one `numstat(of:)` call. Each slot of `results` is written by exactly one worker, and
/// read only after all workers have joined.
private final class ParallelNumstat: @unchecked Sendable {
  /// Commits claimed at a time: small enough to keep both cores busy to the end, large enough that the
  /// lock is never contended.
  static let chunk = 8

  let oids: [git_oid]
  let path: String
  let workers: Int
  let progress: (@Sendable (Int) -> Void)?
  private let results: UnsafeMutableBufferPointer<[FileStat]>
  private let lock = Lock()
  private var next = 0
  private var failure: Error?

  init(oids: [git_oid], path: String, workers: Int, progress: (@Sendable (Int) -> Void)?) {
    self.oids = oids
    self.path = path
    self.workers = workers
    self.progress = progress
    results = .allocate(capacity: oids.count)
    results.initialize(repeating: [])
  }

  deinit {
    results.deinitialize()
    results.deallocate()
  }

  func run() throws -> [[FileStat]] {
    DispatchQueue.concurrentPerform(iterations: workers) { _ in work() }
    if let failure { throw failure }
    return Array(results)
  }

  private func work() {
    do {
      let repository = try Repository.open(path: path)
      var differ = try NumstatDiffer(repository: repository.pointer)
      while let range = claim() {
        for i in range { results[i] = try differ.stats(of: oids[i]) }
        progress?(range.count)
      }
    } catch {
      lock.withLock { if failure == nil { failure = error } }
    }
  }

  /// The next run of commits to diff; nil when all are taken, a worker failed, or Ctrl-C was pressed.
  private func claim() -> Range<Int>? {
    lock.withLock {
      if Interrupt.requested && failure == nil {
        failure = ArrakisError(.interrupted, "interrupted while diffing history")
      }
      guard failure == nil, next < oids.count else { return nil }
      let start = next
      next = min(oids.count, next + Self.chunk)
      return start..<next
    }
  }
}

/// Process-wide libgit2 settings for reading much history, applied once before the first numstat.
/// git itself does not re-hash the objects it reads (packs carry their own checksums); libgit2 does by
/// default, which doubled the cost of a numstat walk. Trees above 4 KiB (a large repository's root and
/// biggest directories, read again for every commit) are not cached by default.
private let historyReadTuning: Void = {
  _ = arrakis_git_set_strict_hash_verification(0)
  _ = arrakis_git_set_cache_object_limit(GIT_OBJECT_TREE, 1 << 20)
}()

func tuneForHistoryReads() { _ = historyReadTuning }

/// Lines added/deleted per delta of a diff; binary deltas are reported with 0/0 and `isBinary`.
func lineStats(of diff: OpaquePointer) throws -> [FileStat] {
  var stats: [FileStat] = []
  for i in 0..<git_diff_num_deltas(diff) {
    var patch: OpaquePointer?
    try check(git_patch_from_diff(&patch, diff, i))
    defer { git_patch_free(patch) }
    guard let delta = git_diff_get_delta(diff, i)?.pointee else { continue }
    let path = String(cString: delta.new_file.path ?? delta.old_file.path)
    if delta.flags & GIT_DIFF_FLAG_BINARY.rawValue != 0 || patch == nil {
      stats.append(FileStat(path: path, additions: 0, deletions: 0, isBinary: true))
      continue
    }
    var additions = 0
    var deletions = 0
    try check(git_patch_line_stats(nil, &additions, &deletions, patch))
    stats.append(FileStat(path: path, additions: additions, deletions: deletions, isBinary: false))
  }
  return stats
}
