import ArmadaAPI
import ArmadaClient
import ArmadaSim
import Foundation
import Synchronization
import TestFixtures
import Testing

/// armadactl's OpenID Connect flows against a real provider process (Debian's glewlwyd on
/// loopback), and the simulator accepting that provider's tokens: the whole path, over REST and gRPC.
@Suite(.serialized, .timeLimit(.minutes(3))) struct OIDCProviderTests {
    /// The simulator of a cluster with OpenID authentication only (no anonymous callers).
    static func config(_ provider: OIDCProviderProcess, audience: String = "armada") -> SimConfig {
        var config = SimConfig(timings: SimHarness.fast)
        config.auth.anonymousEnabled = false
        config.auth.openId = SimOpenIdAuth(providerUrl: provider.info.issuer, clientId: audience)
        return config
    }

    static func settings(_ provider: OIDCProviderProcess, _ flow: OIDCSettings.Flow) -> OIDCSettings {
        let info = provider.info
        switch flow {
        case .clientCredentials:
            return OIDCSettings(flow: flow, providerUrl: info.issuer, clientId: info.clientId, clientSecret: Secret(info.clientSecret), scopes: ["armada"])
        case .password:
            return OIDCSettings(flow: flow, providerUrl: info.issuer, clientId: info.clientId, clientSecret: Secret(info.clientSecret),
                                scopes: ["armada"], username: info.username, password: Secret(info.password))
        case .device:
            return OIDCSettings(flow: flow, providerUrl: info.issuer, clientId: info.publicClientId, scopes: ["armada"])
        case .authorizationCode:
            return OIDCSettings(flow: flow, providerUrl: info.issuer, clientId: info.publicClientId, scopes: ["armada"], localPort: info.pkcePort)
        }
    }

    func withProvider(_ body: (OIDCProviderProcess) async throws -> Void) async throws {
        try #require(OIDCProviderProcess.isInstalled, "\(OIDCProviderProcess.missing)")
        let provider = try await OIDCProviderProcess.start()
        defer { provider.stop() }
        try await body(provider)
    }

    /// The owner a queue created by the caller records: who the simulator took the caller to be.
    func owner(_ client: any ArmadaAPIClient, queue: String) async throws -> String? {
        try await client.createQueue(Queue(name: queue, priorityFactor: 1))
        return try await client.getQueue(queue).permissions?.first?.subjects?.first?.name
    }

    @Test func clientCredentialsAndPasswordGrantsReachTheSimulatorOverBothDoors() async throws {
        try await withProvider { provider in
            for flow in [OIDCSettings.Flow.clientCredentials, .password] {
                let credentials = OIDCCredentials(Self.settings(provider, flow), prompt: { _ in })
                try await SimHarness.runBoth(Self.config(provider), credentials: credentials) { rest, grpc, _ in
                    let overREST = try await owner(rest, queue: "oidc-rest")
                    let overGRPC = try await owner(grpc, queue: "oidc-grpc")
                    #expect(overREST == overGRPC && overREST != nil && overREST != "anonymous")
                    if flow == .clientCredentials { #expect(overREST == provider.info.clientId) } // sub of a client's own token
                    _ = try await grpc.submitJobs(JobSubmitRequest(queue: "e2e-test-queue", jobSetId: "oidc", jobRequestItems: [SimHarness.job(["true"])]))
                }
                // One sign-in served every call.
                #expect(await credentials.grants == [flow.rawValue])
            }
        }
    }

    @Test func callsWithoutAValidTokenAreRefused() async throws {
        try await withProvider { provider in
            try await SimHarness.runBoth(Self.config(provider)) { rest, grpc, _ in
                for client in [rest, grpc] as [any ArmadaAPIClient] {
                    do {
                        _ = try await client.getQueues()
                        Issue.record("a call without credentials was accepted")
                    } catch {
                        #expect((error as? ArmadaError)?.isUnauthenticated == true, "\(error)")
                    }
                }
            }
            // A token of the provider, altered: its signature no longer holds.
            let good = try #require(try await OIDCCredentials(Self.settings(provider, .clientCredentials), prompt: { _ in }).authorization())
            let token = String(good.revealed.dropFirst("Bearer ".count))
            let tampered = String(token.dropLast(4)) + (token.hasSuffix("AAAA") ? "BBBB" : "AAAA")
            try await SimHarness.runBoth(Self.config(provider), credentials: BearerCredentials(.token(Secret(tampered)))) { rest, _, _ in
                await #expect { _ = try await rest.getQueues() } throws: { ($0 as? ArmadaError)?.message.contains("signature") == true }
            }
            // A good token for another audience.
            try await SimHarness.runBoth(Self.config(provider, audience: "another-cluster"), credentials: BearerCredentials(.token(Secret(token)))) { _, grpc, _ in
                await #expect { _ = try await grpc.getQueues() } throws: { ($0 as? ArmadaError)?.message.contains("audience") == true }
            }
        }
    }

    /// RFC 8628 with the approval scripted as a person would give it: the code the runner printed
    /// is entered at the provider by the signed-in user.
    @Test func theDeviceFlowWithAScriptedApproval() async throws {
        try await withProvider { provider in
            let (prompts, sink) = AsyncStream.makeStream(of: String.self)
            let credentials = OIDCCredentials(Self.settings(provider, .device), prompt: { sink.yield($0) })
            // Signing in and approving run side by side; if either fails the other is cancelled, so
            // a failed approval is reported instead of leaving the sign-in polling until the code expires.
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await text in prompts {
                        let code = try #require(text.firstMatch(of: /enter the code (\S+)/)?.1, "\(text)")
                        #expect(text.contains("\(provider.info.api)/oidc/device"))
                        try await provider.approve(userCode: String(code), client: provider.info.publicClientId, scope: "armada")
                        return
                    }
                    Issue.record("the device flow printed no instructions")
                }
                group.addTask { try await credentials.prepare() }
                while try await group.next() != nil {}
            }
            sink.finish()
            try await SimHarness.runBoth(Self.config(provider), credentials: credentials) { rest, grpc, _ in
                let viaREST = try await owner(rest, queue: "device")
                let viaGRPC = try await grpc.getQueue("device").permissions?.first?.subjects?.first?.name
                #expect(viaREST != nil && viaREST == viaGRPC)
            }
            #expect(await credentials.grants == ["openIdDeviceAuth"])
        }
    }

    /// openIdAuth: the browser follows the runner's loopback URL to the provider and back.
    @Test func theAuthorizationCodeFlowWithPKCE() async throws {
        try await withProvider { provider in
            let (prompts, sink) = AsyncStream.makeStream(of: String.self)
            let credentials = OIDCCredentials(Self.settings(provider, .authorizationCode), prompt: { sink.yield($0) })
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await text in prompts {
                        let url = try #require(text.firstMatch(of: /open (http:\/\/localhost:\d+\/)/)?.1, "\(text)")
                        try await provider.browse(String(url), client: provider.info.publicClientId, scope: "armada openid")
                        return
                    }
                    Issue.record("the authorization-code flow printed no sign-in URL")
                }
                group.addTask { try await credentials.prepare() }
                while try await group.next() != nil {}
            }
            sink.finish()
            // glewlwyd puts the granted scopes into `aud` ("armada openid": the flow adds openid, as
            // armadactl's does); go-oidc compares `aud` with the server's clientId as written.
            try await SimHarness.runBoth(Self.config(provider, audience: "armada openid"), credentials: credentials) { rest, _, _ in
                let name = try await owner(rest, queue: "pkce")
                #expect(name != nil && name != "anonymous")
            }
        }
    }

    /// Long runs: a token due for renewal is renewed with the refresh token (a new grant when there
    /// is none), and a 401 makes the next call renew. The clock is the test's.
    @Test func tokensAreRenewedBeforeTheyExpireAndAfterARejection() async throws {
        try await withProvider { provider in
            let clock = Mutex(ContinuousClock.now)
            for flow in [OIDCSettings.Flow.password, .clientCredentials] {
                let credentials = OIDCCredentials(Self.settings(provider, flow), prompt: { _ in }, now: { clock.withLock { $0 } })
                let first = try #require(try await credentials.authorization())
                #expect(try await credentials.authorization() == first, "a fresh token is reused")
                clock.withLock { $0 = $0 + .seconds(3600 - 10) } // within the last 30 s of its hour
                let second = try #require(try await credentials.authorization())
                #expect(second != first)
                #expect(await credentials.credentialsRejected())
                let third = try #require(try await credentials.authorization())
                #expect(third != second)
                let renewal = flow == .password ? "refresh_token" : flow.rawValue // no refresh token for a client's own grant
                #expect(await credentials.grants == [flow.rawValue, renewal, renewal])
                try await SimHarness.runBoth(Self.config(provider), credentials: BearerCredentials(.token(Secret(String(third.revealed.dropFirst(7)))))) { rest, _, _ in
                    _ = try await rest.getQueues()
                }
            }
        }
    }
}
