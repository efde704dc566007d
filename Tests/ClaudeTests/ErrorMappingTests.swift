import ArrakisCore
import Foundation
import Testing
import TestSupport
@testable import Claude

@Suite struct ErrorMappingTests {
  /// An API error as the client builds it from a fixture's status, body and request-id header.
  private func recorded(_ name: String) throws -> ClaudeError {
    ClaudeError.http(status: try Fixtures.status(name), body: try JSONValue.parse(Fixtures.body(name)),
                     requestID: try Fixtures.headers(name)["request-id"])
  }

  @Test func error400IsInvalidRequest() throws {
    let e = try recorded("error-400-invalid-request")
    #expect(e.kind == .invalidRequest)
    #expect(e.arrakisError.status == .invalidRequest)
    #expect(e.arrakisError.message.contains("messages.0.content: Input should be a valid list"))
  }

  @Test func error401IsAuthentication() throws {
    let e = try recorded("error-401-authentication")
    #expect(e.kind == .authentication)
    #expect(e.arrakisError.status == .authentication)
    #expect(e.arrakisError.message.contains("the API key was rejected (invalid x-api-key)"))
    #expect(e.arrakisError.message.contains("req_011FixtureBadKey00001"))
  }

  @Test func error404NamesTheModelAndAliases() throws {
    var e = try recorded("error-404-not-found")
    e.model = "claude-no-such-model"
    #expect(e.kind == .notFound)
    let shown = e.arrakisError
    #expect(shown.status == .invalidRequest)
    #expect(shown.message.contains("unknown model 'claude-no-such-model'"))
    #expect(shown.message.contains("req_011FixtureNoModel0001"))
    #expect(shown.hint?.contains("sonnet (claude-sonnet-5-5)") == true)
  }

  @Test func exitStatusForEachKind() {
    let cases: [(ClaudeError.Kind, ArrakisCore.ExitStatus)] = [
      (.noAPIKey, .configuration), (.permission, .authentication), (.tooLarge, .invalidRequest),
      (.rateLimited, .rateLimited), (.overloaded, .rateLimited), (.server(503), .network),
      (.connection("refused"), .network), (.connectTimeout, .network), (.stalled(5), .network),
      (.truncatedStream, .protocolError), (.malformed("x"), .protocolError),
      (.streamError(type: "overloaded_error", message: "Overloaded"), .protocolError), (.interrupted, .interrupted),
    ]
    for (kind, status) in cases { #expect(ClaudeError(kind).arrakisError.status == status, "\(kind)") }
    #expect(ClaudeError(.noAPIKey).arrakisError.hint?.hasPrefix("set ANTHROPIC_API_KEY (") == true)
  }
}
