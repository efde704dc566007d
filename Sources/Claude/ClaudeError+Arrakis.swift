import ArrakisCore

extension ClaudeError {
  /// The user-facing error: exit status, a message naming the cause, and a hint naming the fix.
  public var arrakisError: ArrakisError {
    let rid = requestID.map { " (request-id \($0))" } ?? ""
    let said = apiMessage.map { ": \($0)" } ?? ""
    let tries = attempts == 1 ? "1 attempt" : "\(attempts) attempts"
    let partialNote = (partial?.content.isEmpty == false) ? "; the partial answer was kept" : ""
    switch kind {
    case .noAPIKey:
      return ArrakisError(.configuration, "no Anthropic API key: ANTHROPIC_API_KEY is not set",
                          hint: "set ANTHROPIC_API_KEY (create a key at https://console.anthropic.com/settings/keys)")
    case .authentication:
      return ArrakisError(.authentication, "the API key was rejected (invalid x-api-key)\(rid)",
                          hint: "check ANTHROPIC_API_KEY; create a new key at https://console.anthropic.com/settings/keys")
    case .permission:
      return ArrakisError(.authentication, "the API key is not permitted to make this request (403)\(said)\(rid)",
                          hint: "use a key from a workspace with access to this model or feature")
    case .notFound:
      let what = model.map { "unknown model '\($0)'" } ?? "not found (404)"
      return ArrakisError(.invalidRequest, "\(what)\(said)\(rid)",
                          hint: "use a full model id or an alias: \(ModelCatalog.aliasList)")
    case .tooLarge:
      return ArrakisError(.invalidRequest, "the prompt is too large for the API (413 request too large)\(rid)",
                          hint: "shorten stdin or the context (fewer or smaller files, less history) and try again")
    case .invalidRequest:
      return ArrakisError(.invalidRequest, "the API rejected the request (HTTP \(httpStatus ?? 400))\(said)\(rid)",
                          hint: "fix the request as the message says; it was not retried")
    case .rateLimited:
      return ArrakisError(.rateLimited, "rate limited (429) after \(tries), retry later\(rid)",
                          hint: "wait a minute, or lower concurrency/max tokens; see your limits in the Console")
    case .overloaded:
      return ArrakisError(.rateLimited, "the API is overloaded (529) after \(tries), retry later\(rid)",
                          hint: "this is load across all users, not your limit; retry in a few minutes")
    case .server(let status):
      return ArrakisError(.network, "the API failed with HTTP \(status) after \(tries)\(said)\(rid)",
                          hint: "retry later; see https://status.anthropic.com")
    case .connection(let detail):
      return ArrakisError(.network, "could not reach \(endpoint ?? "the API") after \(tries): \(detail)",
                          hint: "check the network, HTTPS_PROXY/NO_PROXY and ANTHROPIC_BASE_URL")
    case .connectTimeout:
      return ArrakisError(.network, "connecting to \(endpoint ?? "the API") timed out after \(tries)",
                          hint: "check the network or proxy; raise ARRAKIS_CONNECT_TIMEOUT (seconds) on slow links")
    case .stalled(let seconds):
      return ArrakisError(.network, "the response stream stalled: no data for \(Self.format(seconds)) s\(partialNote)\(rid)",
                          hint: "retry; raise ARRAKIS_STALL_TIMEOUT (seconds) if the network is slow")
    case .truncatedStream:
      return ArrakisError(.protocolError, "the response stream ended before message_stop (connection closed mid-answer)\(partialNote)\(rid)",
                          hint: "retry; if it keeps happening, check for a proxy that cuts long responses")
    case .malformed(let detail):
      return ArrakisError(.protocolError, "the API response could not be understood: \(detail)\(rid)",
                          hint: "check ANTHROPIC_BASE_URL points at the Anthropic API (or a compatible proxy)")
    case .streamError(let type, let message):
      return ArrakisError(.protocolError, "the API reported an error mid-stream: \(type): \(message)\(partialNote)\(rid)",
                          hint: "retry later; a streamed answer is not retried automatically")
    case .interrupted:
      return ArrakisError(.interrupted, "interrupted (Ctrl-C)\(partialNote)")
    }
  }

  private static func format(_ s: Double) -> String {
    s == s.rounded() ? String(Int(s)) : String(s)
  }
}
