/// How one named test ended in one run.
public enum TestOutcome: String, Codable, Sendable {
  case passed, failed, skipped
  /// Not reported by the run at all (deleted, renamed, or the run died before it).
  case missing
}

/// One test, by the name its runner prints (`tests/test_calc.py::test_add`, `calc.TestCalc.test_add`,
/// `TestAdd/empty`, `tests::adds`), and how it ended.
public struct TestResult: Codable, Equatable, Sendable {
  public var name: String
  public var outcome: TestOutcome

  public init(name: String, outcome: TestOutcome) {
    self.name = name
    self.outcome = outcome
  }
}

/// Per-test outcomes in the order the runner first named them. A failure is sticky: a test reported as
/// failed by one line (pytest's summary, unittest's `FAIL:` block) stays failed whatever a later line says.
struct TestResultBook: Sendable {
  private(set) var order: [String] = []
  private var outcomes: [String: TestOutcome] = [:]
  static let limit = 100_000

  mutating func record(_ rawName: some StringProtocol, _ outcome: TestOutcome) {
    let name = rawName.trimmingSpacesAndTabs
    guard !name.isEmpty else { return }
    if let old = outcomes[name] {
      if old != .failed { outcomes[name] = outcome }
      return
    }
    guard order.count < Self.limit else { return }
    order.append(name)
    outcomes[name] = outcome
  }

  /// Forgets a name (a node `describe` block reported like a test).
  mutating func remove(_ name: String) {
    guard outcomes.removeValue(forKey: name) != nil else { return }
    order.removeAll { $0 == name }
  }

  func outcome(_ name: String) -> TestOutcome? { outcomes[name] }
  var results: [TestResult] { order.map { TestResult(name: $0, outcome: outcomes[$0]!) } }
  var isEmpty: Bool { order.isEmpty }

  func count(_ outcome: TestOutcome) -> Int { outcomes.values.filter { $0 == outcome }.count }
}
