import ArrakisCore

/// Grep through `rg`: builds the argv so rg behaves like the built-in engine (hidden files searched,
/// .git skipped, .gitignore honoured even outside a git repository, path-sorted output). rg searches
/// in parallel and RipgrepOutput sorts its output: `--sort=path` would make rg single-threaded.
enum RipgrepSearch {
  static func argv(rg: String, _ r: GrepRequest) -> [String] {
    var a = [rg, "--no-config", "--no-heading", "--with-filename", "--null", "--color=never", "--no-messages",
             "--hidden", "--no-require-git", "--no-ignore-dot", "--no-ignore-global", "-g", "!.git"]
    switch r.mode {
    case .filesWithMatches: a.append("--files-with-matches")
    case .count: a.append("--count")
    case .content:
      a.append("--line-number")  // always: RipgrepOutput tells match from context lines by it, and drops it
      if r.before > 0 { a += ["-B", String(r.before)] }
      if r.after > 0 { a += ["-A", String(r.after)] }
      if r.onlyMatching { a.append("--only-matching") }
    }
    if r.caseInsensitive { a.append("--ignore-case") }
    if r.multiline { a += ["--multiline", "--multiline-dotall"] }
    if let g = r.glob { a += ["--glob", g] }
    if let t = r.type { a += ["--type", t] }
    a += ["--regexp", r.pattern]
    if !r.displayPath.isEmpty { a += ["--", r.displayPath] }
    return a
  }

  /// Runs rg from the workspace root so paths come out workspace-relative. Exit 1 = no match.
  static func search(rg: String, _ r: GrepRequest, cwdRoot: String, timeoutMs: Int) async -> Result<[String], GrepError> {
    let result = await ProcessRunner.run(argv(rg: rg, r), directory: cwdRoot, timeoutMs: timeoutMs, outputCap: 16 << 20)
    if result.timedOut { return .failure(GrepError("search timed out")) }
    switch result.exitCode {
    case 0:
      // Split on bytes (in RipgrepOutput): a CRLF file's lines end in "\r", and "\r\n" is one Character.
      return .success(RipgrepOutput.lines(result.output, request: r))
    case 1: return .success([])
    default: return .failure(GrepError(result.output.trimmed))
    }
  }
}

struct GrepError: Error { let message: String; init(_ m: String) { message = m } }
