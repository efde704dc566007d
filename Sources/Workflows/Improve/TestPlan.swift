import ArrakisCore

/// What the gate must show, read from the baseline run (SWE-bench's grading): the targets are tests failing
/// at baseline that must pass afterwards (all of them, or those `--target` names), the guards are tests
/// passing at baseline that must still pass. Tests failing at baseline that are not targets may stay red.
public struct TestPlan: Sendable, Equatable {
  public var targets: [String]
  public var guards: [String]
  /// Failing at baseline and not targeted.
  public var otherFailing: Set<String>

  /// Why a red baseline cannot be graded, or a usage error for a `--target` that names no failing test.
  public static func make(baseline: TestRun, requested: [String]) throws -> TestPlan {
    let failing = baseline.results.filter { $0.outcome == .failed }.map(\.name)
    let passing = baseline.results.filter { $0.outcome == .passed }.map(\.name)
    var targets: [String] = []
    for wanted in requested {
      let found = failing.filter { TestNames.matches(wanted, $0) }
      guard !found.isEmpty else {
        let passes = passing.contains { TestNames.matches(wanted, $0) }
        throw ArrakisError(
          .usage,
          passes ? "--target \(wanted): that test passes at the baseline; a target must be a failing test"
            : "--target \(wanted): no test of that name ran at the baseline",
          hint: failing.isEmpty ? "the baseline has no failing test; omit --target"
            : "failing at the baseline: " + failing.prefix(10).joined(separator: ", ") + (failing.count > 10 ? ", …" : ""))
      }
      targets += found.filter { !targets.contains($0) }
    }
    if requested.isEmpty { targets = failing }
    return TestPlan(targets: targets, guards: passing, otherFailing: Set(failing).subtracting(targets))
  }

  /// Why a red baseline cannot be graded (the runner named no failing test), or nil.
  public static func ungradable(_ baseline: TestRun) -> String? {
    guard !baseline.passed else { return nil }
    if baseline.timedOut { return "the baseline run timed out, so no test can be told from another" }
    guard baseline.results.contains(where: { $0.outcome == .failed }) else {
      return "`\(baseline.command)` fails at the baseline but names no failing test, so there is nothing to target"
    }
    return nil
  }

  public static let namingHint =
    "make the test command name each test (pytest -v, python3 -m unittest -v, go test -v ./..., cargo test, "
    + "node --test, ctest) with --test-cmd, then choose with --target NAME; or fix the baseline first"
}

/// One test before the change (baseline) and after it (the gate, on the baseline's test files).
public struct TestTransition: Codable, Equatable, Sendable {
  public var name: String
  public var before: TestOutcome
  public var after: TestOutcome
}

/// The gate's grading of one run against the plan.
public struct TestVerdict: Sendable, Equatable {
  public var failToPass: [TestTransition]
  public var passToPass: [TestTransition]
  /// Tests failing in the gate run that were not failing at baseline (broken guards, failing new tests).
  public var newFailures: [String]
  public var green: Bool

  public var targetsStillRed: [String] { failToPass.filter { $0.after != .passed }.map(\.name) }
  public var guardsBroken: [String] { passToPass.filter { $0.after != .passed }.map(\.name) }

  public init(plan: TestPlan, run: TestRun) {
    let index = Dictionary(run.results.map { ($0.name, $0.outcome) }, uniquingKeysWith: { a, _ in a })
    failToPass = plan.targets.map { TestTransition(name: $0, before: .failed, after: run.outcome(of: $0, in: index)) }
    passToPass = plan.guards.map { TestTransition(name: $0, before: .passed, after: run.outcome(of: $0, in: index)) }
    let allowed = plan.otherFailing, targets = Set(plan.targets)
    let failing = run.results.filter { $0.outcome == .failed }.map(\.name)
    newFailures = failing.filter { !allowed.contains($0) && !targets.contains($0) }
    // A red exit is acceptable only when every failure it names is one the plan lets stay red.
    let exitExplained = run.passed
      || (!run.timedOut && !run.interrupted && !failing.isEmpty && failing.allSatisfy(allowed.contains))
    green = exitExplained && newFailures.isEmpty && failToPass.allSatisfy { $0.after == .passed }
      && passToPass.allSatisfy { $0.after == .passed }
  }

  /// The agent's new tests must pass too (in their own run): any failure there that the plan does not let
  /// stay red, or a red exit that names none, makes the verdict red.
  mutating func add(runWithNewTests run: TestRun, plan: TestPlan) {
    let failing = run.results.filter { $0.outcome == .failed }.map(\.name)
    let unexpected = failing.filter { !plan.otherFailing.contains($0) && !newFailures.contains($0) }
    newFailures += unexpected
    let exitExplained = run.passed || (!run.timedOut && !run.interrupted && !failing.isEmpty && unexpected.isEmpty)
    if !unexpected.isEmpty || !exitExplained { green = false }
    if !exitExplained && unexpected.isEmpty { newFailures.append("the run with the new tests (\(run.summary))") }
  }

  /// One line: what is still wrong, or "all N target(s) pass, M guard(s) still pass".
  public var summary: String {
    if green {
      return "\(failToPass.count) target(s) now pass, \(passToPass.count) guard(s) still pass"
    }
    var bits: [String] = []
    if !targetsStillRed.isEmpty { bits.append("still failing: " + Self.list(targetsStillRed)) }
    if !guardsBroken.isEmpty { bits.append("broken: " + Self.list(guardsBroken)) }
    let extra = newFailures.filter { !guardsBroken.contains($0) }
    if !extra.isEmpty { bits.append("new failures: " + Self.list(extra)) }
    return bits.isEmpty ? "the test command failed" : bits.joined(separator: "; ")
  }

  static func list(_ names: [String]) -> String {
    names.prefix(5).joined(separator: ", ") + (names.count > 5 ? ", +\(names.count - 5) more" : "")
  }
}
