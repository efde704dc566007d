import FoundationEssentials
import Glibc

/// A fact about this machine worked out once per process, on first use (a probe that runs a command, such
/// as Bubblewrap's and CommandIsolation's), so racing first callers run the probe once.
public final class ProbedOnce<Value: Sendable>: @unchecked Sendable {
  private let lock = Lock()
  private var found: Value?
  private let probe: @Sendable () -> Value

  public init(_ probe: @escaping @Sendable () -> Value) { self.probe = probe }

  public var value: Value {
    lock.withLock {
      if let found { return found }
      let result = probe()
      found = result
      return result
    }
  }
}
