/// Every exit code arrakis uses. Scripts, hooks and cron jobs branch on these, so they never change meaning;
/// `arrakis help` and the man pages list them from `ExitStatus.allCases`.
public enum ExitStatus: Int32, CaseIterable, Sendable {
  case success = 0
  /// A run that worked but found what `--fail-on` asked to fail on (analyze), or a gate that stayed red (improve).
  case findings = 1
  /// Bad input: a malformed flag value, an unknown id, a file that cannot be read.
  case usage = 2
  /// No API key, or a configuration file that cannot be used.
  case configuration = 3
  /// The API rejected the key (401) or its permissions (403).
  case authentication = 4
  /// The API rejected the request: 400, 404 (unknown model), 413 (too large).
  case invalidRequest = 5
  /// Rate limited (429) or overloaded (529) after every retry.
  case rateLimited = 6
  /// The API or the network failed: connection refused or reset, timeouts, a stalled stream, 5xx after retries.
  case network = 7
  /// The response could not be understood: malformed JSON, a truncated stream, an `error` event mid-stream.
  case protocolError = 8
  /// The ledger (SQLite) could not be opened or written.
  case ledger = 9
  /// A git repository problem: not a repository, unborn HEAD, merge in progress, a conflicting tree.
  case git = 10
  /// The model refused, or a turn/budget limit stopped the run before it finished; or `improve` refused to
  /// repeat an attempt that failed at the same commit (`--force` overrides).
  case incomplete = 11
  /// Another run holds the lock (improve/analyze on the same repository).
  case locked = 12
  /// Interrupted by Ctrl-C (SIGINT) or SIGTERM; what was received is kept.
  case interrupted = 130

  public var summary: String {
    switch self {
    case .success: return "success"
    case .findings: return "ran, but found what --fail-on names, or the test gate stayed red"
    case .usage: return "bad input: a flag, an id or a file (the message says which)"
    case .configuration: return "no API key, or an unusable configuration file"
    case .authentication: return "the API key was rejected (401/403)"
    case .invalidRequest: return "the API rejected the request (400, unknown model 404, too large 413)"
    case .rateLimited: return "rate limited (429) or overloaded (529) after all retries"
    case .network: return "network or server failure (connection, timeout, stalled stream, 5xx)"
    case .protocolError: return "malformed or truncated response, or an error event inside the stream"
    case .ledger: return "the ledger database could not be opened or written"
    case .git: return "git repository problem (not a repository, unborn HEAD, merge in progress, conflicts)"
    case .incomplete: return "stopped before finishing: refusal, max turns, max budget, a failed improve not repeated"
    case .locked: return "another arrakis run holds the lock for this repository"
    case .interrupted: return "interrupted (Ctrl-C, SIGTERM, SIGHUP, SIGQUIT, or SIGPIPE: the reader of the output left); partial output is kept in the ledger"
    }
  }

  /// The table printed in `arrakis help` and the EXIT STATUS section of the man pages.
  public static var table: String {
    allCases.map { "  \(String($0.rawValue).paddedToWidth(4)) \($0.summary)" }
      .joined(separator: "\n")
  }
}
