import ArrakisCore
import Claude
import FoundationEssentials
import Glibc

/// What `arrakis analyze` was asked to do.
public struct AnalyzeRequest: Sendable {
  /// The repository or directory (any subdirectory of a repository analyses the whole repository).
  public var path: String
  /// The history window as text (`90.days`, `2025-01-01`); parsed by `TimeWindow.parseSince`.
  public var since: String
  public var runTests: Bool
  /// A test command that wins over detection.
  public var testCommand: String?
  public var testTimeout: TimeInterval
  /// Ask the model to rank improvements (needs a client with an API key).
  public var useModel: Bool
  public var model: String
  public var maxTokens: Int
  /// Wait for another analyze of the same repository instead of failing with exit 12.
  public var waitForLock: Bool
  public var failOn: [FailOnCondition]
  public var compare: Bool
  public var hotspotLimit: Int
  /// Reuse (and keep) the per-commit file statistics stored in the ledger by earlier runs; false diffs
  /// every commit of the window again and stores nothing.
  public var useCache: Bool
  /// A progress line on stderr while a long first analysis diffs history (only on a terminal).
  public var showProgress: Bool

  public init(
    path: String, since: String = "90.days", runTests: Bool = false, testCommand: String? = nil,
    testTimeout: TimeInterval = 30 * 60, useModel: Bool = true, model: String = ModelCatalog.defaultModel,
    maxTokens: Int = 4096, waitForLock: Bool = false, failOn: [FailOnCondition] = [], compare: Bool = true,
    hotspotLimit: Int = 10, useCache: Bool = true, showProgress: Bool = false
  ) {
    self.path = path
    self.since = since
    self.runTests = runTests
    self.testCommand = testCommand
    self.testTimeout = testTimeout
    self.useModel = useModel
    self.model = model
    self.maxTokens = maxTokens
    self.waitForLock = waitForLock
    self.failOn = failOn
    self.compare = compare
    self.hotspotLimit = hotspotLimit
    self.useCache = useCache
    self.showProgress = showProgress
  }
}
