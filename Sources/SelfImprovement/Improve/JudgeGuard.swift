import Agent
import ArrakisCore
import Foundation

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
    if let raw = input["file_path"]?.stringValue ?? input["path"]?.stringValue,
      let reason = JudgeGuardedTool.refusal(path: context.display(PathGuard.resolve(raw, base: context.root)), judge: judge)
    {
      throw SandboxViolation(reason)
    }
    return try await inner.run(input, in: context)
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
