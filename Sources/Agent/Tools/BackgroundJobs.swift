import ArrakisCore
import FoundationEssentials
import Glibc
import Dispatch

/// Commands Bash started with `run_in_background: true`: each runs under its own guardian (so its whole
/// tree can be stopped, and dies with arrakis), writing stdout+stderr to a log file in the session's
/// state folder, which Read may open. A thread per job waits for it: the guardian's parent-death signal is
/// tied to the thread that started it. Jobs are stopped when their session's ToolContext goes away and,
/// whatever is left, when arrakis exits (`ChildProcesses.sweep`).
public final class BackgroundJobs: @unchecked Sendable {
  public static let shared = BackgroundJobs()

  public struct Job: Sendable {
    public var id: String
    public var pid: pid_t
    public var logPath: String
    public var session: String
  }

  private let lock = Lock()
  private var jobs: [String: Job] = [:]
  private var finished: [String: DispatchSemaphore] = [:]
  private var counter = 0

  /// Starts `argv`; returns once it runs (or failed to start). `isolated`: see `ProcessRunner.spawn`.
  public func start(
    _ argv: [String], environment: [String: String], session stateDirectory: String, killGraceMs: Int = ProcessRunner.defaultKillGraceMs,
    isolated: Bool = false
  ) throws -> Job {
    let dir = BackgroundJobs.folder(stateDirectory)
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let id = lock.withLock { counter += 1; return "bg-\(counter)" }
    let log = dir + "/\(id).log"
    let fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw ToolInputError("Bash: cannot create the log file \(log): \(String(cString: strerror(errno)))") }
    let started = DispatchSemaphore(value: 0)
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var outcome: Swift.Result<pid_t, ProcessRunner.SpawnError>?
    DetachedThread.start {
      outcome = ProcessRunner.spawn(argv, environment: environment, directory: nil, output: fd, killGraceMs: killGraceMs, isolated: isolated)
      started.signal()
      guard case .success(let pid) = outcome else { close(fd); done.signal(); return }
      var status: Int32 = 0
      while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
      ChildProcesses.shared.remove(pid)
      let end = status & 0x7f == 0 ? "exit \((status >> 8) & 0xff)" : "killed by signal \(status & 0x7f)"
      Output.write(fd, "\n[background job \(id) ended: \(end)]\n")
      close(fd)
      self.lock.withLock { self.jobs[id] = nil; self.finished[id] = nil }
      done.signal()
    }
    started.wait()
    switch outcome {
    case .success(let pid):
      let job = Job(id: id, pid: pid, logPath: log, session: stateDirectory)
      lock.withLock {
        if ChildProcesses.shared.running.contains(pid) { jobs[id] = job; finished[id] = done }
      }
      return job
    case .failure(let e): throw ToolInputError("Bash: \(e.text)")
    case nil: throw ToolInputError("Bash: the background job did not start")
    }
  }

  /// The jobs of one session still running.
  public func running(session stateDirectory: String) -> [Job] {
    lock.withLock { jobs.values.filter { $0.session == stateDirectory }.sorted { $0.id < $1.id } }
  }

  /// Stops every job of a session and its whole tree (the guardian does the tree), waiting until each
  /// is reaped; SIGKILL to the group for a guardian that does not finish in time.
  public func stopAll(session stateDirectory: String, graceMs: Int = ProcessRunner.defaultKillGraceMs) {
    let targets = lock.withLock { jobs.values.filter { $0.session == stateDirectory }.map { ($0, finished[$0.id]) } }
    for (job, _) in targets { kill(-job.pid, SIGTERM) }
    for (job, done) in targets {
      guard let done else { continue }
      if done.wait(timeout: .now() + .milliseconds(graceMs + 6_000)) == .timedOut {
        kill(-job.pid, SIGKILL)
        _ = done.wait(timeout: .now() + 3)
      }
    }
  }

  /// Where a session's job logs live (readable by Read, see ToolContext.resolve).
  public static func folder(_ stateDirectory: String) -> String { stateDirectory + "/jobs" }
}
