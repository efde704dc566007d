import Agent
import ArrakisCore
import FoundationEssentials
import Glibc

/// Write and Edit during improve, refusing the judge: the baseline's test files and whatever defines how
/// tests run (`TestFileRules`), plus any new runner configuration (a new conftest.py or .pytest.ini decides
/// what runs just as well). The refusal comes back to the model with the reason; what Bash does anyway is
/// the tamper check's to catch.
struct JudgeGuardedTool: Tool {
  let inner: any Tool
  /// Workspace-relative paths of the baseline's judge files.
  let judge: Set<String>

  var definition: ToolSpec { inner.definition }
  var access: ToolAccess { inner.access }

  func run(_ input: JSONValue, in context: ToolContext) async throws -> ToolOutput {
    if let raw = input["file_path"]?.stringValue ?? input["path"]?.stringValue {
      let file = PathGuard.resolve(raw, base: context.root)
      let path = context.display(file)
      if TestFileRules.isSharedConfig(path: path) {
        // Only the test sections are the judge: refuse the call only when it would change them.
        let current = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        if let reason = JudgeGuardedTool.sharedRefusal(path: path, before: current, after: Self.result(of: input, on: current)) {
          throw SandboxViolation(reason)
        }
      } else if let reason = JudgeGuardedTool.refusal(path: path, judge: judge) {
        throw SandboxViolation(reason)
      }
    }
    return try await inner.run(input, in: context)
  }

  /// What the file would hold after a Write (its content) or an Edit (the replacement applied).
  static func result(of input: JSONValue, on current: String) -> String {
    if let content = input["content"]?.stringValue { return content }
    guard let old = input["old_string"]?.stringValue, !old.isEmpty, let new = input["new_string"]?.stringValue else { return current }
    if input["replace_all"]?.boolValue == true { return current.replacing(old, with: new) }
    guard let r = current.firstRange(of: old) else { return current }
    return String(current[..<r.lowerBound]) + new + String(current[r.upperBound...])
  }

  static func sharedRefusal(path: String, before: String, after: String) -> String? {
    guard let a = TestFileRules.judgedPart(path: path, content: before), let b = TestFileRules.judgedPart(path: path, content: after),
      a != b
    else { return nil }
    return "the change to \(path) touches how tests run (its test sections, test recipes or scripts), which is part of the judge; "
      + "improve keeps that read-only — the rest of the file may change"
  }

  static func refusal(path: String, judge: Set<String>) -> String? {
    if judge.contains(path) {
      return "\(path) is part of the judge (the baseline's tests and test settings); improve keeps it read-only — change the code under test, or add a new test file"
    }
    if TestFileRules.isTestConfig(path: path) {
      return "\(path) would configure how tests run; improve refuses new or changed test configuration"
    }
    return nil
  }

  /// The standard tools with Write and Edit guarded.
  static func registry(judge: Set<String>) -> ToolRegistry {
    ToolRegistry(ToolRegistry.standard.tools.map { tool in
      tool.name == "Write" || tool.name == "Edit" ? JudgeGuardedTool(inner: tool, judge: judge) : tool
    })
  }
}
