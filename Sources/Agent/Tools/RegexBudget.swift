import ArrakisCore
import FoundationEssentials
import Glibc

/// Bounds the built-in Grep engine. Swift's Regex backtracks, so a pattern such as `(a+)+$` takes
/// exponential time on a line of `a`s ending in `!`; ripgrep's engine cannot backtrack, ours must be
/// stopped. Swift's Regex has no progress callback (ICU's `.reportProgress` asked this budget while it
/// worked), so BuiltinGrep asks `exceeded` between lines, and runs patterns that can backtrack without
/// bound (RegexRisk) in a child process that is killed when `exceeded` says so (ForkedWork). It says so
/// past `perFile` seconds spent on one file, the whole call past `perCall`, or on Ctrl-C / SIGTERM
/// (`stop`, by default `Interrupt.requested`). The first reason recorded stops every file.
final class RegexBudget: @unchecked Sendable {
  enum Stop: Equatable { case fileBudget(file: String), callBudget, interrupted }

  let perFile: TimeInterval
  let perCall: TimeInterval
  let started = Date()
  private let stop: @Sendable () -> Bool
  private let lock = Lock()
  private var _reason: Stop?

  init(perFile: TimeInterval, perCall: TimeInterval, stop: @escaping @Sendable () -> Bool = { Interrupt.requested }) {
    self.perFile = perFile
    self.perCall = perCall
    self.stop = stop
  }

  var reason: Stop? { lock.lock(); defer { lock.unlock() }; return _reason }

  /// Whether work on `file`, begun at `fileStarted`, must stop now (records why the first time).
  func exceeded(file: String, fileStarted: Date) -> Bool {
    if reason != nil { return true }
    let now = Date()
    let why: Stop?
    if stop() { why = .interrupted }
    else if now.timeIntervalSince(started) > perCall { why = .callBudget }
    else if now.timeIntervalSince(fileStarted) > perFile { why = .fileBudget(file: file) }
    else { why = nil }
    guard let why else { return false }
    lock.lock()
    if _reason == nil { _reason = why }
    lock.unlock()
    return true
  }

  /// The error the model receives, naming the pattern and what to do.
  func error(pattern: String) -> GrepError? {
    switch reason {
    case nil: return nil
    case .interrupted: return GrepError("interrupted (Ctrl-C or SIGTERM); the search was stopped")
    case .fileBudget(let file):
      return GrepError(
        "the pattern '\(pattern)' exceeded the built-in engine's budget of \(Self.seconds(perFile)) of regex work on one file (\(file)); "
          + "it probably backtracks catastrophically (nested quantifiers such as (a+)+). Simplify the pattern, or install ripgrep (rg), whose engine does not backtrack")
    case .callBudget:
      return GrepError(
        "the pattern '\(pattern)' exceeded the built-in engine's budget of \(Self.seconds(perCall)) for one search; "
          + "narrow it with path, glob or type, simplify the pattern, or install ripgrep (rg)")
    }
  }

  private static func seconds(_ t: TimeInterval) -> String { t == t.rounded() ? "\(Int(t)) s" : String(cFormat: "%.1f s", t) }
}
