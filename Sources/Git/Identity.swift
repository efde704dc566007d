import ArrakisCore
import CGit2
import FoundationEssentials
import Glibc

/// Which project a checkout is, whatever folder or machine it sits in: the ledger files analyses,
/// improvements and improve history under it, so that two clones of one project (a laptop, a CI runner)
/// share them when they share a ledger.
extension Repository {
  /// `<normalized origin URL>@<root commit>` (`github.com/a/b@1f2e…`); the root commit alone when there
  /// is no `origin`; the working directory (or git directory) when there is no commit yet. The root commit
  /// tells apart two projects behind one URL (a rewritten history, a reused name); the URL tells apart two
  /// projects started from one commit (forks keep theirs, but a fork is another origin).
  public var identity: String {
    get throws {
      guard let root = try rootCommitID else { return workdir ?? gitDir }
      guard let url = try configValue("remote.origin.url"), !url.isEmpty else { return root }
      return Repository.normalizedRemoteURL(url) + "@" + root
    }
  }

  /// The first commit of HEAD's first-parent chain (where the project's main line started); nil when HEAD
  /// is unborn. The same in every clone whose HEAD descends from it, however far ahead or behind.
  public var rootCommitID: String? {
    get throws {
      try gitBoundary("cannot walk the history to its first commit") {
        if try check(git_repository_head_unborn(pointer)) == 1 { return nil }
        var walker: OpaquePointer?
        try check(git_revwalk_new(&walker, pointer))
        defer { git_revwalk_free(walker) }
        try check(git_revwalk_simplify_first_parent(walker))
        try check(git_revwalk_push_head(walker))
        var oid = git_oid()
        var last: String?
        while true {
          let rc = git_revwalk_next(&oid, walker)
          if rc == GIT_ITEROVER.rawValue { break }
          try check(rc)
          last = oid.hex
        }
        return last
      }
    }
  }

  /// One spelling for the ways a remote is written: `git@github.com:a/b.git`, `https://github.com/a/b`,
  /// `ssh://git@github.com:22/a/b.git/` → `github.com/a/b`. Scheme, user and password (a token in an https
  /// URL must never reach the ledger), port, a trailing `.git` and slashes go; the host is lowercased, the
  /// path kept as written. A local path stays a path, without its trailing `.git` and slashes.
  public static func normalizedRemoteURL(_ url: String) -> String {
    var rest = url.trimmed
    var host = ""
    if let scheme = rest.firstRange(of: "://") {
      let isFile = rest[..<scheme.lowerBound].lowercased() == "file"
      rest = String(rest[scheme.upperBound...])
      if !isFile {
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        host = String(rest[..<slash])
        rest = String(rest[slash...])
      }
    } else if let colon = rest.firstIndex(of: ":"), !rest[..<colon].contains("/") {
      // scp-like `[user@]host:path` (git's rule: a colon before any slash).
      host = String(rest[..<colon])
      rest = "/" + rest[rest.index(after: colon)...]
    }
    if let at = host.lastIndex(of: "@") { host = String(host[host.index(after: at)...]) }
    if let port = host.lastIndex(of: ":"), !host.hasSuffix("]") { host = String(host[..<port]) }
    while rest.hasSuffix("/") { rest.removeLast() }
    if rest.hasSuffix(".git") { rest.removeLast(4) }
    while rest.hasSuffix("/") { rest.removeLast() }
    return host.isEmpty ? rest : host.lowercased() + rest
  }
}
