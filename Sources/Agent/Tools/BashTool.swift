import ArrakisCore
import Claude
import FoundationEssentials
import Glibc

/// Runs `bash -c` in the session's persistent working directory. The cwd survives between calls (an
/// EXIT trap writes `pwd` to a marker file); the environment does not (each call starts from arrakis's).
public struct BashTool: Tool {
  public init() {}
  public var access: ToolAccess { .execute }

  public var definition: ToolSpec {
    ToolSpec(
      name: "Bash",
      description: "Run a bash command. The working directory persists between calls; environment changes do not. Stdin is /dev/null. Output (stdout+stderr) over 30000 chars keeps its first and last lines, with a marker stating how many lines and bytes were cut. When the call returns (or times out), every process it started is stopped. run_in_background: true returns at once with a job id and the path of a log file holding the command's output (read it with Read; a last line says when the job ended); background jobs are stopped when the session ends. Prefer Read/Glob/Grep/Edit over cat/find/grep/sed.",
      inputSchema: [
        "type": "object",
        "properties": [
          "command": ["type": "string"],
          "timeout": ["type": "integer", "description": "ms, default 120000, max 600000"],
          "description": ["type": "string", "description": "5-10 word summary"],
          "run_in_background": ["type": "boolean", "description": "start and return at once (a dev server, a watcher); output goes to a log file"],
        ],
        "required": ["command"],
      ])
  }

  public func run(_ json: JSONValue, in context: ToolContext) async throws -> ToolOutput {
    let input = ToolInput(json, tool: name)
    let command = try input.string("command")
    let short = BashTool.shortForm(command)
    guard !command.trimmed.isEmpty else {
      throw ToolInputError("Bash: command is empty")
    }
    let sandbox = context.sandbox
    if let reason = sandbox.forbiddenReason(command: command) { throw SandboxViolation(reason) }
    var timeout = try input.optionalInt("timeout") ?? sandbox.defaultTimeoutMs
    timeout = max(1, min(timeout, sandbox.maxTimeoutMs))

    var notes: [String] = []
    var cwd = context.bashCwd
    if FileIO.kind(cwd) != .directory {
      notes.append("previous working directory \(cwd) no longer exists; reset to \(context.root)")
      cwd = context.root
    }
    let marker = context.stateDirectory + "/cwd-\(UUID().uuidString)"
    defer { unlink(marker) }
    let script = """
      ulimit -u \(sandbox.maxProcesses) 2>/dev/null
      trap 'pwd -P >| \(BashTool.quote(marker)) 2>/dev/null' EXIT
      cd -- \(BashTool.quote(cwd)) || exit 1
      \(command)
      """

    let background = try input.bool("run_in_background")
    var argv = ["/bin/bash", "-c", background ? BashTool.backgroundScript(command, cwd: cwd, sandbox: sandbox) : script]
    if sandbox.mode == .os {
      switch Bubblewrap.availability {
      case .unavailable(let reason):
        return .error("Bash refused: the OS sandbox was requested but \(reason)", summary: "Bash \(short) (no sandbox)")
      case .available(let bwrap):
        argv = Bubblewrap.argv(
          bwrap: bwrap, writable: sandbox.allowedDirectories + [context.stateDirectory], readOnly: sandbox.readOnlyPaths, cwd: cwd,
          allowNetwork: sandbox.allowNetwork, inner: argv)
      }
    }

    if background {
      do {
        let job = try BackgroundJobs.shared.start(
          argv, environment: BashTool.environment(), session: context.stateDirectory, isolated: sandbox.mode == .policy)
        var text = "Started in the background as \(job.id) (pid \(job.pid)). Its output goes to \(job.logPath); Read it to follow the job (a last line says when it ended). It is stopped when the session ends."
        for n in notes { text += "\n[\(n)]" }
        return ToolOutput(content: text, summary: "Bash \(short) (background \(job.id))")
      } catch let e as ToolInputError {
        return .error(e.message, summary: "Bash \(short) (failed to start)")
      }
    }

    // Under the policy sandbox the guardian isolates the command itself (a PID namespace where the kernel
    // allows, no capability reaching other processes); bubblewrap does under the OS sandbox.
    let result = await ProcessRunner.run(
      argv, environment: BashTool.environment(), timeoutMs: timeout,
      // Room for the marker and the status notes: the whole result stays within the limit, so nothing
      // downstream cuts it again (and its marker with it).
      outputCap: max(1_000, context.limits.bashChars - 512), isolated: sandbox.mode == .policy)

    if let data = FileManager.default.contents(atPath: marker) {
      let newCwd = String(decoding: data, as: UTF8.self).trimming(where: \.isNewline)
      if sandbox.allowedDirectories.contains(where: { PathGuard.isInside(newCwd, $0) }) {
        context.bashCwd = newCwd
      } else {
        context.bashCwd = context.root
        notes.append("working directory \(newCwd) is outside the allowed directories; reset to \(context.root)")
      }
    } else {
      context.bashCwd = cwd
    }

    var text = result.output
    if text.isEmpty { text = "(no output)" }
    var status: String
    if let err = result.spawnError {
      return .error("Bash: \(err)", summary: "Bash \(short) (failed to start)")
    } else if result.timedOut {
      status = "timed out after \(BashTool.seconds(timeout))"
      text += "\n[Command timed out after \(BashTool.seconds(timeout)); it and every process it started were stopped]"
    } else if result.interrupted {
      status = "interrupted"
      text += "\n[Interrupted; it and every process it started were stopped]"
    } else {
      status = "exit \(result.exitCode)"
      if result.exitCode != 0 { text += "\n[exit code \(result.exitCode)]" }
    }
    for n in notes { text += "\n[\(n)]" }
    let failed = result.timedOut || result.interrupted || result.exitCode != 0
    return ToolOutput(content: text, isError: failed, summary: "Bash \(short) (\(status))")
  }

  /// A fresh environment each call (the runner's inherited one: no API key, no outer make), with pagers
  /// and git prompts disabled (stdin is /dev/null; they would hang or garble output).
  static func environment() -> [String: String] {
    var env = ProcessRunner.inheritedEnvironment
    env["PAGER"] = "cat"
    env["GIT_PAGER"] = "cat"
    env["GIT_TERMINAL_PROMPT"] = "0"
    env["TERM"] = "dumb"
    return env
  }

  /// A background job's script: no working-directory marker (the session's cwd is not the job's to change).
  static func backgroundScript(_ command: String, cwd: String, sandbox: SandboxPolicy) -> String {
    """
    ulimit -u \(sandbox.maxProcesses) 2>/dev/null
    cd -- \(quote(cwd)) || exit 1
    \(command)
    """
  }

  static func quote(_ s: String) -> String { "'" + s.replacing("'", with: "'\\''") + "'" }

  static func shortForm(_ command: String) -> String {
    let first = command.split(separator: "\n").first.map(String.init) ?? ""
    return first.count > 60 ? String(first.prefix(57)) + "…" : first
  }

  static func seconds(_ ms: Int) -> String {
    ms % 1000 == 0 ? "\(ms / 1000)s" : String(cFormat: "%.1fs", Double(ms) / 1000)
  }
}
