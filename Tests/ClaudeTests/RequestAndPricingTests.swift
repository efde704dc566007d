import ArrakisCore
import Foundation
import Testing
@testable import Claude

@Suite struct RequestAndPricingTests {
  @Test func contentBlocksRoundTrip() {
    let blocks: [ContentBlock] = [
      .text("hi"), .toolUse(id: "toolu_1", name: "read", input: ["path": "a.swift"]),
      .toolResult(toolUseID: "toolu_1", content: "file text", isError: true),
      .thinking(thinking: "hmm", signature: "sig"), .redactedThinking(data: "xyz"),
      .unknown(["type": "server_tool_use", "id": "srvtoolu_1", "name": "tool_search", "input": [:]]),
    ]
    for block in blocks { #expect(ContentBlock(json: block.json) == block) }
    #expect(ContentBlock.toolResult(toolUseID: "t", content: "ok", isError: false).json["is_error"] == nil)
  }

  @Test func cacheBreakpointSkipsThinking() {
    let m = ChatMessage(role: .assistant, content: [.text("a"), .thinking(thinking: "t", signature: "s")])
    let json = m.json(cacheLast: true)
    #expect(json["content"]?[0]?["cache_control"] == ["type": "ephemeral"])
    #expect(json["content"]?[1]?["cache_control"] == nil)
  }

  @Test func plainRequestHasNoCacheMarkers() {
    let body = MessageRequest(messages: [.user("x")], system: "s").body(stream: false)
    #expect(body["system"] == "s")
    #expect(body["model"] == .string(ModelCatalog.defaultModel))
    #expect(!body.serialized().contains("cache_control"))
  }

  @Test func knownModelCostsAreExact() throws {
    let usage = Usage(inputTokens: 1_000_000, outputTokens: 1_000_000)
    #expect(Pricing.cost(model: "claude-sonnet-4-6", usage: usage) == 18)
    #expect(Pricing.cost(model: "claude-sonnet-4-5-20250929", usage: usage) == 18)
    #expect(Pricing.cost(model: "claude-3-opus-20240229", usage: usage) == 90)
    #expect(Pricing.cost(model: "opus", usage: usage) == 24)
    #expect(Pricing.cost(model: "claude-opus-5", usage: usage) == 30)
    #expect(Pricing.cost(model: "fable", usage: usage) == 60)
    #expect(Pricing.cost(model: "claude-haiku-4-5-20251001", usage: usage) == 6)
    // Fixture 02: 17 input, 100 output, 2056 written to the 1-hour cache on Sonnet 4 (3/15, 1h write 6).
    let cached = Usage(inputTokens: 17, outputTokens: 100, cacheCreationInputTokens: 2056, cacheCreation1hInputTokens: 2056)
    let cost = try #require(Pricing.cost(model: "claude-sonnet-4-20250514", usage: cached))
    #expect(abs(cost - (17 * 3 + 100 * 15 + 2056 * 6) / 1e6) < 1e-12)
    let mixed = Usage(cacheCreationInputTokens: 1_000_000, cacheReadInputTokens: 1_000_000)
    #expect(Pricing.cost(model: "claude-sonnet-4-6", usage: mixed) == 3.75 + 0.3)
  }

  @Test func unknownModelHasNoCost() {
    #expect(Pricing.cost(model: "claude-does-not-exist", usage: Usage(inputTokens: 10)) == nil)
    #expect(Pricing.cost(model: "gpt-4", usage: Usage()) == nil)
  }

  @Test func aliasesResolveToTheCurrentModels() {
    #expect(ModelCatalog.resolve("opus") == "claude-opus-5-5")
    #expect(ModelCatalog.resolve("sonnet") == "claude-sonnet-5-5")
    #expect(ModelCatalog.resolve("Haiku") == "claude-haiku-5-5")
    #expect(ModelCatalog.resolve("fable") == "claude-fable-5-1")
    #expect(ModelCatalog.resolve("claude-opus-4-6") == "claude-opus-4-6")
    #expect(ModelCatalog.info(ModelCatalog.defaultModel)?.current == true)
    #expect(ModelCatalog.aliases.allSatisfy { ModelCatalog.info($0.alias)?.current == true })
  }

  @Test func usageAdds() {
    let sum = Usage(inputTokens: 1, outputTokens: 2, cacheCreationInputTokens: 3, cacheReadInputTokens: 4, cacheCreation1hInputTokens: 5)
      + Usage(inputTokens: 10, outputTokens: 20, cacheCreationInputTokens: 30, cacheReadInputTokens: 40, cacheCreation1hInputTokens: 50)
    #expect(sum == Usage(inputTokens: 11, outputTokens: 22, cacheCreationInputTokens: 33, cacheReadInputTokens: 44, cacheCreation1hInputTokens: 55))
  }

  @Test func retryPolicyFollowsTheSDK() {
    #expect(RetryPolicy.shouldRetry(status: 529, headers: [:]))
    #expect(RetryPolicy.shouldRetry(status: 409, headers: [:]))
    #expect(!RetryPolicy.shouldRetry(status: 400, headers: [:]))
    #expect(!RetryPolicy.shouldRetry(status: 500, headers: ["x-should-retry": "false"]))
    #expect(RetryPolicy.shouldRetry(status: 400, headers: ["x-should-retry": "true"]))
    #expect(RetryPolicy.delay(retry: 0, headers: ["retry-after": "2"]) == 2)
    #expect(RetryPolicy.delay(retry: 0, headers: ["retry-after-ms": "150", "retry-after": "9"]) == 0.15)
    // Out-of-range server waits fall back to backoff: 0.5·2^n capped at 8, minus up to 25%.
    #expect(RetryPolicy.delay(retry: 1, headers: ["retry-after": "120"], random: 0) == 1)
    #expect(RetryPolicy.delay(retry: 6, headers: [:], random: 1) == 6)
    let now = Date(timeIntervalSince1970: 1_700_000_000)
    #expect(RetryPolicy.delay(retry: 0, headers: ["retry-after": "Tue, 14 Nov 2023 22:13:30 GMT"], now: now) == 10)
  }

  @Test func configFromEnvironment() {
    let c = ClientConfig.fromEnvironment(Environment(["ANTHROPIC_API_KEY": "k", "ARRAKIS_STALL_TIMEOUT": "0.5",
                                                      "ARRAKIS_CONNECT_TIMEOUT": "3", "ARRAKIS_RETRY_BASE_MS": "10"]))
    #expect(c.apiKey == "k" && c.baseURL == "https://api.anthropic.com")
    #expect(c.stallTimeout == 0.5 && c.connectTimeout == 3 && c.retryBaseDelay == 0.01)
    #expect(ClientConfig.fromEnvironment(Environment([:])).apiKey == nil)
  }
}
