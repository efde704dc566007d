import Agent
import ArrakisCore
import FoundationEssentials

/// `--metric 'CMD'`: a change is kept only when it measurably helps. The measure is the last number the
/// command prints on stdout; baseline and candidate are measured `runs` times each, interleaved (so drift
/// in the machine's load hits both alike), and the candidate's median must beat the baseline's by more than
/// both 1 % and the baseline's own spread (max − min).
public struct MetricSpec: Sendable, Equatable {
  public enum Goal: String, Sendable, Encodable, CaseIterable { case lower, higher }
  public var command: String
  public var goal: Goal = .lower
  public var runs: Int = 5
  public var timeout: TimeInterval = 10 * 60

  public init(command: String, goal: Goal = .lower, runs: Int = 5) {
    self.command = command
    self.goal = goal
    self.runs = runs
  }
}

/// Both series and the decision, for `--json` and the ledger.
public struct MetricReport: Encodable, Sendable, Equatable {
  public var command: String
  public var goal: MetricSpec.Goal
  public var baseline: [Double]
  public var candidate: [Double]
  public var baselineMedian: Double?
  public var candidateMedian: Double?
  public var baselineSpread: Double?
  /// How much better the candidate is than the baseline, as a fraction of the baseline median.
  public var improvement: Double?
  public var significant: Bool
  public var verdict: String

  /// The decision over two series.
  static func decide(_ spec: MetricSpec, baseline: [Double], candidate: [Double]) -> MetricReport {
    var r = MetricReport(
      command: spec.command, goal: spec.goal, baseline: baseline, candidate: candidate, baselineMedian: median(baseline),
      candidateMedian: median(candidate), baselineSpread: baseline.isEmpty ? nil : baseline.max()! - baseline.min()!,
      improvement: nil, significant: false, verdict: "")
    guard let b = r.baselineMedian, let c = r.candidateMedian, let spread = r.baselineSpread else {
      r.verdict = "no significant improvement: the metric was not measured"
      return r
    }
    let gain = spec.goal == .lower ? b - c : c - b
    r.improvement = b == 0 ? nil : gain / abs(b)
    let threshold = max(0.01 * abs(b), spread)
    r.significant = gain > threshold
    let fmt = { (x: Double) in String(cFormat: "%g", x) }
    r.verdict = r.significant
      ? "improved: median \(fmt(b)) → \(fmt(c)) (\(spec.goal.rawValue) is better; beats 1 % and the baseline spread \(fmt(spread)))"
      : "no significant improvement: median \(fmt(b)) → \(fmt(c)) (\(spec.goal.rawValue) is better; needs to beat \(fmt(threshold)), the larger of 1 % and the baseline spread)"
    return r
  }

  static func median(_ xs: [Double]) -> Double? {
    guard !xs.isEmpty else { return nil }
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
  }
}

/// Runs the metric command once and reads its number.
struct MetricProbe {
  var spec: MetricSpec
  var environment: [String: String]

  /// The last number on stdout, or an error saying what went wrong (exit status, timeout, no number).
  func measure(in directory: String) throws -> Double {
    let errFile = temporaryDirectory() + "/arrakis-metric-\(UUID().uuidString).err"
    defer { try? FileManager.default.removeItem(atPath: errFile) }
    // stderr goes to a file so that only stdout is searched for the number.
    let r = ProcessRunner.runSync(
      ["bash", "-c", "exec 2>\"$1\"; eval \"$2\"", "arrakis-metric", errFile, spec.command], environment: environment,
      directory: directory, timeoutMs: Int(spec.timeout * 1000), outputCap: 1 << 20)
    let stderr = (try? String(contentsOfFile: errFile, encoding: .utf8)) ?? ""
    if r.timedOut { throw ArrakisError(.usage, "the metric `\(spec.command)` timed out after \(Int(spec.timeout)) s") }
    if r.interrupted { throw ArrakisError(.interrupted, "interrupted while measuring") }
    guard r.exitCode == 0 else {
      let why = (stderr + r.output).split(separator: "\n").last.map(String.init) ?? ""
      throw ArrakisError(.usage, "the metric `\(spec.command)` failed (exit \(r.exitCode))" + (why.isEmpty ? "" : ": \(why)"))
    }
    guard let value = Self.lastNumber(r.output) else {
      throw ArrakisError(.usage, "the metric `\(spec.command)` printed no number on stdout", hint: "the last number it prints is the measure, e.g. `echo 12.5`")
    }
    return value
  }

  nonisolated(unsafe) static let number = try! SwiftRegex.compile(#"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"#)

  static func lastNumber(_ text: String) -> Double? {
    guard let m = text.matches(of: number).last else { return nil }
    return Double(text[m.range])
  }
}
