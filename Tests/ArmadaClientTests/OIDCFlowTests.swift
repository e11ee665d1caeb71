@testable import ArmadaClient
import ArmadaAPI
import Foundation
import Synchronization
import Testing

/// The parts of the OpenID flows that need no provider: RFC 8628's polling rules, PKCE's
/// challenge, the token answer's reading and the form encoding.
@Suite struct OIDCFlowTests {
    func authorization(interval: Int = 5, expiresIn: Int = 600) -> OIDCClient.DeviceAuthorization {
        OIDCClient.DeviceAuthorization(deviceCode: Secret("device-code"), userCode: "ABCD-EFGH", verificationURI: "https://idp/device",
                                       verificationURIComplete: "https://idp/device?code=ABCD-EFGH",
                                       expiresIn: .seconds(expiresIn), interval: .seconds(interval))
    }

    /// Runs a device flow whose token endpoint answers `answers` in turn; returns the waits.
    func run(_ answers: [OIDCClient.TokenAnswer], interval: Int = 5, expiresIn: Int = 600) async -> (Result<OIDCToken, ArmadaError>, [Duration]) {
        let script = Mutex((answers: answers, waits: [Duration]()))
        let flow = OIDCDeviceFlow(authorization: authorization(interval: interval, expiresIn: expiresIn), poll: {
            script.withLock { $0.answers.isEmpty ? .error(code: "authorization_pending", description: "", status: 400) : $0.answers.removeFirst() }
        }, sleep: { duration in script.withLock { $0.waits.append(duration) } })
        let result: Result<OIDCToken, ArmadaError>
        do { result = .success(try await flow.run()) } catch { result = .failure(error) }
        return (result, script.withLock { $0.waits })
    }

    static let pending = OIDCClient.TokenAnswer.error(code: "authorization_pending", description: "", status: 400)
    static let slowDown = OIDCClient.TokenAnswer.error(code: "slow_down", description: "", status: 400)

    @Test func pollsAtTheIntervalAndSlowsDownByFiveSeconds() async throws {
        let (result, waits) = await run([Self.pending, Self.slowDown, Self.pending, Self.slowDown, .token(OIDCToken(accessToken: Secret("t")))])
        #expect((try? result.get())?.accessToken.revealed == "t")
        #expect(waits == [.seconds(5), .seconds(5), .seconds(10), .seconds(10), .seconds(15)])
    }

    @Test func endsOnDenialExpiryOrTheCodesLifetime() async {
        let (denied, _) = await run([Self.pending, .error(code: "access_denied", description: "", status: 400)])
        #expect(denied.failureMessage?.contains("denied") == true)
        let (expired, _) = await run([.error(code: "expired_token", description: "", status: 400)])
        #expect(expired.failureMessage?.contains("expired") == true)
        // Nobody approves: it gives up once the next wait would pass expires_in (30 s, interval 5: six polls).
        let (timedOut, waits) = await run([], interval: 5, expiresIn: 30)
        #expect(waits.count == 6 && timedOut.failureMessage?.contains("expired after") == true)
        let (other, _) = await run([.error(code: "invalid_client", description: "bad secret", status: 401)])
        #expect(other.failureMessage == "the provider refused the device code: invalid_client (bad secret) (HTTP 401)")
        // A provider asking for less than a second is polled each second.
        let (_, fast) = await run([.token(OIDCToken(accessToken: Secret("t")))], interval: 0)
        #expect(fast == [.seconds(1)])
    }

    @Test func instructionsNameTheURLAndTheCode() {
        let flow = OIDCDeviceFlow(authorization: authorization(), poll: { Self.pending }, sleep: { _ in })
        #expect(flow.instructions == "To sign in to Armada, open https://idp/device and enter the code ABCD-EFGH (or open "
            + "https://idp/device?code=ABCD-EFGH); waiting for the approval…")
    }

    /// S256 (RFC 7636 §4.2): base64url(SHA-256(verifier)) without padding; the expected value is
    /// Python's `urlsafe_b64encode(hashlib.sha256(v).digest()).rstrip(b"=")`.
    @Test func pkceChallengeIsS256OfTheVerifier() {
        #expect(OIDCAuthorizationCodeFlow.challenge(for: "dBjftJeZ4CVP-mJ92K9GJGcXeH-ZbrvJaTKBskJERVA") == "E2V1hWK4wtR-thG5hz_PdifPi5jwDU_xnA5wBIEyRuA")
        let verifier = OIDCAuthorizationCodeFlow.randomToken()
        #expect(verifier.count == 43 && verifier.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        let url = OIDCAuthorizationCodeFlow.authorizationURL(URL(string: "https://idp/auth?x=1")!, clientId: "cli", redirect: "http://localhost:1/auth/callback",
                                                             scopes: ["armada"], state: "st", challenge: "ch")
        let items = Dictionary(uniqueKeysWithValues: (URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems ?? []).map { ($0.name, $0.value ?? "") })
        #expect(items["x"] == "1" && items["scope"] == "armada openid" && items["code_challenge_method"] == "S256" && items["state"] == "st")
        #expect(items["redirect_uri"] == "http://localhost:1/auth/callback" && items["response_type"] == "code" && items["nonce"]?.count == 43)
    }

    @Test func tokenAnswersAreReadWithChecks() throws {
        let full = try JSONValue.parse(Array(#"{"access_token":"a","refresh_token":"r","expires_in":"3600","token_type":"bearer"}"#.utf8))
        let token = try #require(OIDCToken(full))
        #expect(token.accessToken.revealed == "a" && token.refreshToken?.revealed == "r" && token.expiresIn == .seconds(3600))
        for bad in [#"{"access_token":"a","expires_in":1e300}"#, #"{"access_token":"a","expires_in":-5}"#, #"{"access_token":"a","expires_in":"soon"}"#] {
            #expect(try OIDCToken(JSONValue.parse(Array(bad.utf8)))?.expiresIn == nil, "\(bad)")
        }
        #expect(try OIDCToken(JSONValue.parse(Array(#"{"token_type":"bearer"}"#.utf8))) == nil)
        #expect(OIDCClient.formEscape("a b&c=d+é") == "a%20b%26c%3Dd%2B%C3%A9")
        // Every token read is a secret: it cannot appear in output.
        _ = OIDCToken(try JSONValue.parse(Array(#"{"access_token":"a-very-distinct-access-token"}"#.utf8)))
        #expect(!Redaction.apply("token a-very-distinct-access-token").contains("a-very-distinct-access-token"))
    }
}

extension Result where Failure == ArmadaError {
    var failureMessage: String? {
        if case .failure(let error) = self { return error.message }
        return nil
    }
}
