import CGit2

/// Where HEAD points.
public enum HeadState: Equatable, Sendable {
  /// A branch with no commits yet (right after `git init`).
  case unborn(branch: String)
  case detached(commit: String)
  case branch(name: String, commit: String)

  public var commit: String? {
    switch self {
    case .unborn: return nil
    case .detached(let commit), .branch(_, let commit): return commit
    }
  }

  /// The branch name, including an unborn one; nil when detached.
  public var branch: String? {
    switch self {
    case .unborn(let name), .branch(let name, _): return name
    case .detached: return nil
    }
  }
}

/// An operation in progress, as `git status` would report it. arrakis refuses to act unless this is `.none`,
/// because committing or checking out in the middle of a merge would mix our changes into the user's.
public enum RepositoryState: String, Sendable {
  case none, merge, revert, revertSequence, cherryPick, cherryPickSequence, bisect
  case rebase, rebaseInteractive, rebaseMerge, applyMailbox, applyMailboxOrRebase

  init(raw: Int32) {
    switch UInt32(bitPattern: raw) {
    case GIT_REPOSITORY_STATE_MERGE.rawValue: self = .merge
    case GIT_REPOSITORY_STATE_REVERT.rawValue: self = .revert
    case GIT_REPOSITORY_STATE_REVERT_SEQUENCE.rawValue: self = .revertSequence
    case GIT_REPOSITORY_STATE_CHERRYPICK.rawValue: self = .cherryPick
    case GIT_REPOSITORY_STATE_CHERRYPICK_SEQUENCE.rawValue: self = .cherryPickSequence
    case GIT_REPOSITORY_STATE_BISECT.rawValue: self = .bisect
    case GIT_REPOSITORY_STATE_REBASE.rawValue: self = .rebase
    case GIT_REPOSITORY_STATE_REBASE_INTERACTIVE.rawValue: self = .rebaseInteractive
    case GIT_REPOSITORY_STATE_REBASE_MERGE.rawValue: self = .rebaseMerge
    case GIT_REPOSITORY_STATE_APPLY_MAILBOX.rawValue: self = .applyMailbox
    case GIT_REPOSITORY_STATE_APPLY_MAILBOX_OR_REBASE.rawValue: self = .applyMailboxOrRebase
    default: self = .none
    }
  }

  /// Words for a refusal message: "a merge is in progress".
  public var inProgressDescription: String {
    switch self {
    case .none: return "no operation is in progress"
    case .merge: return "a merge is in progress"
    case .revert, .revertSequence: return "a revert is in progress"
    case .cherryPick, .cherryPickSequence: return "a cherry-pick is in progress"
    case .bisect: return "a bisect is in progress"
    case .rebase, .rebaseInteractive, .rebaseMerge: return "a rebase is in progress"
    case .applyMailbox, .applyMailboxOrRebase: return "a `git am` is in progress"
    }
  }
}
