import ArmadaClient
import Foundation
import Testing

@Suite struct ConfigTests {
    final class Dir {
        let path: String
        init() throws {
            path = NSTemporaryDirectory() + "cfg-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        func write(_ name: String, _ text: String) throws -> String {
            let file = path + "/" + name
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            return file
        }
        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    let config = """
    currentContext: main
    contexts:
      main:
        armadaUrl: localhost:50051
        armadaRestUrl: http://localhost:8081
        basicAuth: {username: admin, password: pw-main}
      other:
        ArmadaRestUrl: other.example:9000
        execAuth:
          cmd: get-token
          args: [--audience, armada]
          env: [{name: X, value: "1"}]
      grpcOnly:
        armadaUrl: cluster:50051
      oidc:
        armadaRestUrl: https://armada.example
        openIdDeviceAuth: {providerUrl: https://idp.example, clientId: c}
    """

    func target(_ resolution: TargetResolution) throws -> ResolvedTarget {
        guard case .target(let t) = resolution else { throw TimedOut() }
        return t
    }

    @Test func precedenceFlagsThenEnvironmentThenConfigThenHome() throws {
        let dir = try Dir()
        let file = try dir.write("armada.yaml", config)
        let home = try Dir()
        _ = try home.write(".armadactl.yaml", "armadaRestUrl: http://home:1\n")

        let fromHome = try target(TargetResolver(environment: [:], homeDirectory: home.path).resolve(.init()))
        #expect(fromHome.restURL?.absoluteString == "http://home:1" && fromHome.source == home.path + "/.armadactl.yaml")
        #expect(fromHome.transport == .rest)

        let fromFile = try target(TargetResolver(environment: [:], homeDirectory: home.path).resolve(.init(configPath: file)))
        #expect(fromFile.restURL?.absoluteString == "http://localhost:8081")
        #expect(fromFile.grpc == GRPCEndpoint(host: "localhost", port: 50051, tls: true) && fromFile.credentials.summary == "basic (user admin)")
        #expect(fromFile.transport == .grpc && fromFile.label == "grpcs://localhost:50051")
        #expect(fromFile.source == "context main in \(file)")

        let envContext = TargetResolver(environment: ["ARMADA_CONTEXT": "other", "ARMADA_CONFIG": file], homeDirectory: home.path)
        let other = try target(envContext.resolve(.init()))
        #expect(other.restURL?.absoluteString == "http://other.example:9000" && other.credentials.summary == "exec (get-token)")

        let flagContext = try target(envContext.resolve(.init(context: "main")))
        #expect(flagContext.restURL?.absoluteString == "http://localhost:8081")

        let envURL = TargetResolver(environment: ["ARMADA_REST_URL": "http://env:2", "ARMADA_CONFIG": file], homeDirectory: home.path)
        // An address from the environment replaces the file's (both of them: they may name another cluster).
        #expect(try target(envURL.resolve(.init())).restURL?.absoluteString == "http://env:2")
        #expect(try target(envURL.resolve(.init())).transport == .rest && target(envURL.resolve(.init())).grpc == nil)
        #expect(try target(envURL.resolve(.init(restURL: "flag:3"))).restURL?.absoluteString == "http://flag:3")
        #expect(try target(envURL.resolve(.init(restURL: "flag:3"))).source == "--rest-url")

        let tokenEnv = TargetResolver(environment: ["ARMADA_CONFIG": file, "ARMADA_BEARER_TOKEN": "t"], homeDirectory: home.path)
        #expect(try target(tokenEnv.resolve(.init())).credentials.summary == "bearer token")
    }

    @Test func theTransportFollowsTheAddressesOfOneLevel() throws {
        let dir = try Dir()
        let file = try dir.write("armada.yaml", config)
        let resolver = TargetResolver(environment: ["ARMADA_CONFIG": file], homeDirectory: "/nonexistent")
        // Both in the context: gRPC, unless REST is asked for.
        #expect(try target(resolver.resolve(.init())).transport == .grpc)
        let rest = try target(resolver.resolve(.init(transport: .rest)))
        #expect(rest.transport == .rest && rest.label == "http://localhost:8081" && rest.source == "context main in \(file)")
        // gRPC only in the context: gRPC.
        let grpcOnly = try target(resolver.resolve(.init(context: "grpcOnly")))
        #expect(grpcOnly.transport == .grpc && grpcOnly.restURL == nil && grpcOnly.label == "grpcs://cluster:50051")
        // Flags: a bare loopback address is plaintext, anything else TLS; schemes choose.
        #expect(try target(resolver.resolve(.init(grpcURL: "localhost:50051"))).grpc == GRPCEndpoint(host: "localhost", port: 50051, tls: false))
        #expect(try target(resolver.resolve(.init(grpcURL: "armada.example:443"))).grpc?.tls == true)
        #expect(try target(resolver.resolve(.init(grpcURL: "http://armada.example:80"))).grpc?.tls == false)
        #expect(try target(resolver.resolve(.init(grpcURL: "https://127.0.0.1:50051"))).grpc?.tls == true)
        // A flag's address replaces the file's: --grpc-url alone never reaches the context's REST URL.
        let flagged = try target(resolver.resolve(.init(grpcURL: "127.0.0.1:1", transport: nil)))
        #expect(flagged.restURL == nil && flagged.source == "--grpc-url" && flagged.credentials.summary == "basic (user admin)")
        // Both flags: gRPC unless --transport rest; the environment's choice applies when no flag gives one.
        #expect(try target(resolver.resolve(.init(restURL: "http://r:1", grpcURL: "g:2"))).transport == .grpc)
        #expect(try target(resolver.resolve(.init(restURL: "http://r:1", grpcURL: "g:2", transport: .rest))).label == "http://r:1")
        let envRest = TargetResolver(environment: ["ARMADA_CONFIG": file, "ARMADA_TRANSPORT": "REST"], homeDirectory: "/nonexistent")
        #expect(try target(envRest.resolve(.init())).transport == .rest)
        #expect(try target(envRest.resolve(.init(transport: .grpc))).transport == .grpc)
        let envGRPC = TargetResolver(environment: ["ARMADA_GRPC_URL": "10.0.0.1:50051", "ARMADA_GRPC_CA_CERT": "/ca.pem"], homeDirectory: "/nonexistent")
        #expect(try target(envGRPC.resolve(.init())).grpc == GRPCEndpoint(host: "10.0.0.1", port: 50051, tls: true, caCertificatePath: "/ca.pem"))
        let badEnv = TargetResolver(environment: ["ARMADA_CONFIG": file, "ARMADA_TRANSPORT": "carrier-pigeon"], homeDirectory: "/nonexistent")
        #expect(throws: ArmadaError.self) { try badEnv.resolve(.init()) }
    }

    @Test func gRPCAddressesParseAsArmadactlWritesThem() throws {
        #expect(try GRPCEndpoint.parse("localhost:50051", forceNoTls: true) == GRPCEndpoint(host: "localhost", port: 50051, tls: false))
        #expect(try GRPCEndpoint.parse("dns:///armada.example:50051", forceNoTls: false) == GRPCEndpoint(host: "armada.example", port: 50051, tls: true))
        #expect(try GRPCEndpoint.parse("[::1]:50051", forceNoTls: true) == GRPCEndpoint(host: "::1", port: 50051, tls: false))
        #expect(try GRPCEndpoint.parse("armada.example", forceNoTls: false).port == 443)
        #expect(try GRPCEndpoint.parse("grpc://h:1/", forceNoTls: false) == GRPCEndpoint(host: "h", port: 1, tls: false))
        #expect(GRPCEndpoint(host: "::1", port: 5, tls: true).description == "grpcs://[::1]:5")
        for bad in ["", ":50051", "ftp://h:1", "h:0", "h:x", "[::1", "[::1]x", "a b:1", "h:-1"] {
            #expect(throws: ArmadaError.self, "\(bad)") { try GRPCEndpoint.parse(bad, forceNoTls: false) }
        }
        // Any text is an endpoint or an error, never a crash.
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("ab:/[]0123456789.-%@ \u{0}é")
        for _ in 0..<5_000 {
            let text = String((0..<Int.random(in: 0...24, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            _ = try? GRPCEndpoint.parse(text, forceNoTls: Bool.random(using: &generator))
        }
    }

    @Test func nothingConfiguredMeansNoTarget() throws {
        let home = try Dir()
        guard case .noTarget = try TargetResolver(environment: [:], homeDirectory: home.path).resolve(.init()) else {
            Issue.record("expected no target")
            return
        }
    }

    @Test func clearErrorsWithoutSecrets() throws {
        let dir = try Dir()
        let file = try dir.write("armada.yaml", config)
        let resolver = TargetResolver(environment: [:], homeDirectory: dir.path)
        func message(_ flags: TargetResolver.Flags) -> String {
            do {
                _ = try resolver.resolve(flags)
                return "no error"
            } catch {
                return error.message
            }
        }
        #expect(message(.init(transport: .rest, context: "grpcOnly", configPath: file)) == "the REST transport was asked for, but context "
            + "grpcOnly in \(file) names only a gRPC address (cluster:50051): add armadaRestUrl or pass --rest-url (the goreman dev stack "
            + "serves the gateway at http://localhost:8081), or drop --transport rest")
        #expect(message(.init(restURL: "http://x:1", transport: .grpc)).hasPrefix("the gRPC transport was asked for, but --rest-url names only a REST URL"))
        #expect(message(.init(grpcURL: "host:99999")) == "--grpc-url: \"host:99999\" is not a gRPC address: port \"99999\" is not a number from 1 to 65535 (e.g. localhost:50051)")
        #expect(message(.init(context: "nope", configPath: file)) == "context nope not found under contexts in \(file); contexts there: grpcOnly, main, oidc, other")
        let oidc = try target(resolver.resolve(.init(context: "oidc", configPath: file)))
        #expect(oidc.credentials.summary == "OpenID Connect device flow, client c at https://idp.example")
        #expect(message(.init(configPath: dir.path + "/missing.yaml")) == "could not find config file \(dir.path)/missing.yaml")
        #expect(message(.init(restURL: "ftp://x")) == "--rest-url: \"ftp://x\" is not a URL")
        let broken = try dir.write("broken.yaml", "contexts: [\n")
        #expect(message(.init(configPath: broken)).hasPrefix("\(broken):2:1: not valid YAML"))
        let parsed = try ArmadaConfigFile.load(path: file)
        #expect(!String(describing: parsed).contains("pw-main"))
    }

    /// armadactl's OpenID blocks become the runner's OIDC credentials; what a flow lacks is an error
    /// that says what to add, with the file; `openIdKubernetesAuth` is still refused, by name.
    @Test func openIdBlocksAsArmadactlWritesThem() throws {
        let dir = try Dir()
        let file = try dir.write("oidc.yaml", """
        currentContext: ci
        contexts:
          ci:
            armadaUrl: armada.example:443
            openIdClientCredentialsAuth: {providerUrl: https://idp.example/realms/a, clientId: ci, clientSecret: s3cr3t-cc, scopes: [armada, x]}
          person:
            armadaUrl: armada.example:443
            OPENIDAUTH: {providerUrl: https://idp.example, clientId: cli, localPort: 26354}
          legacy:
            armadaUrl: armada.example:443
            openIdConnect: {providerUrl: https://idp.example, clientId: old, localPort: 8085}
          pw:
            armadaUrl: armada.example:443
            openIdPasswordAuth: {providerUrl: https://idp.example, clientId: c, username: bob, password: pw-bob}
          k8s:
            armadaUrl: armada.example:443
            openIdKubernetesAuth: {providerUrl: https://idp.example, clientId: c, tokenPath: /t}
        """)
        let parsed = try ArmadaConfigFile.load(path: file)
        let ci = try #require(parsed.contexts["ci"]?.openId)
        #expect(ci.flow == .clientCredentials && ci.clientId == "ci" && ci.clientSecret?.revealed == "s3cr3t-cc" && ci.scopes == ["armada", "x"])
        #expect(parsed.contexts["person"]?.openId?.flow == .authorizationCode && parsed.contexts["person"]?.openId?.localPort == 26354)
        #expect(parsed.contexts["legacy"]?.openId?.flow == .authorizationCode && parsed.contexts["legacy"]?.openId?.localPort == 8085)
        #expect(parsed.contexts["pw"]?.openId?.username == "bob" && parsed.contexts["pw"]?.openId?.flow == .password)
        #expect(!String(describing: parsed).contains("s3cr3t-cc") && !String(describing: parsed).contains("pw-bob"))
        let resolver = TargetResolver(environment: [:], homeDirectory: dir.path)
        let target = try target(resolver.resolve(.init(configPath: file)))
        #expect(target.credentials.summary == "OpenID Connect client credentials, client ci at https://idp.example/realms/a")
        do {
            _ = try resolver.resolve(.init(context: "k8s", configPath: file))
            Issue.record("openIdKubernetesAuth was accepted")
        } catch {
            #expect(error.message.hasPrefix("context k8s in \(file) uses openIdKubernetesAuth, which this runner cannot perform"))
        }
        for (block, problem) in [
            ("openIdClientCredentialsAuth: {providerUrl: https://idp.example, clientId: c}", "has no clientSecret"),
            ("openIdPasswordAuth: {providerUrl: https://idp.example, clientId: c, username: u}", "needs username and password"),
            ("openIdDeviceAuth: {providerUrl: https://idp.example}", "has no clientId"),
            ("openIdAuth: {providerUrl: https://idp.example, clientId: c, localPort: 70000}", "localPort \"70000\" is not a port"),
        ] {
            let bad = try dir.write("bad.yaml", "armadaUrl: a:1\n\(block)\n")
            do {
                _ = try ArmadaConfigFile.load(path: bad)
                Issue.record("accepted: \(block)")
            } catch {
                #expect(error.message.contains(problem) && error.message.hasPrefix(bad), "\(error.message)")
            }
        }
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    @Test func theShippedConfigsResolve() throws {
        let resolver = TargetResolver(environment: [:], homeDirectory: "/nonexistent")
        let local = try target(resolver.resolve(.init(configPath: Self.repository + "/config/localdev.yaml")))
        #expect(local.restURL?.absoluteString == "http://localhost:8081" && local.grpc == GRPCEndpoint(host: "localhost", port: 50051, tls: false))
        #expect(local.transport == .grpc && local.label == "grpc://localhost:50051")
        #expect(local.policySettle == .seconds(5))
        let auth = Self.repository + "/config/auth-example.yaml"
        let basic = try target(resolver.resolve(.init(configPath: auth)))
        #expect(basic.credentials.summary.contains("admin"))
        let env = try target(resolver.resolve(.init(context: "token-from-env", configPath: auth)))
        #expect(env.policySettle == .seconds(10) && env.credentials.summary.contains("ARMADA_TOKEN"))
        let exec = try target(resolver.resolve(.init(context: "exec", configPath: auth)))
        #expect(exec.credentials.summary.contains("get-armada-token"))
    }

    @Test func aBadPolicySettleSaysWhereAndHow() throws {
        let dir = try Dir()
        let file = try dir.write("bad.yaml", "currentContext: a\ncontexts:\n  a:\n    armadaRestUrl: http://x\n    policySettle: soon\n")
        #expect {
            try TargetResolver(environment: [:]).resolve(.init(configPath: file))
        } throws: { error in
            "\(error)".contains("bad.yaml:5:19: policySettle \"soon\" is not a duration; write it like 5s or 500ms")
        }
    }

    // MARK: Strict reading: a config never falls back to the simulator silently

    func failure(_ resolver: TargetResolver, _ flags: TargetResolver.Flags) -> String {
        do {
            let resolution = try resolver.resolve(flags)
            if case .noTarget = resolution { return "no target" }
            return "a target"
        } catch {
            return error.message
        }
    }

    @Test func aTypoInAKeyIsAnErrorWithPositionAndSuggestion() throws {
        let dir = try Dir()
        let typo = try dir.write("typo.yaml", "currentContex: local\ncontexts:\n  local:\n    armadaRestUrl: http://localhost:8081\n")
        let resolver = TargetResolver(environment: [:], homeDirectory: dir.path)
        #expect(failure(resolver, .init(configPath: typo)) == "\(typo):1:1: unknown key \"currentContex\"; did you mean \"currentContext\"?")
        let nested = try dir.write("nested.yaml", """
            currentContext: a
            contexts:
              a:
                armadaRestUri: http://x
                basicAuth: {username: u, pasword: p}
            """)
        let message = failure(resolver, .init(configPath: nested))
        #expect(message.contains("\(nested):4:5: unknown key \"contexts.a.armadaRestUri\"; did you mean \"armadaRestUrl\"?"))
        #expect(message.contains("\(nested):5:30: unknown key \"contexts.a.basicAuth.pasword\"; did you mean \"password\"?"))
        #expect(!message.contains("\"p\"")) // values (passwords among them) never appear
        // Keys match case-insensitively, as armadactl's loader matches them.
        let cased = try dir.write("cased.yaml", "CurrentContext: a\ncontexts:\n  a:\n    ARMADARESTURL: http://x:1\n")
        #expect(failure(resolver, .init(configPath: cased)) == "a target")
    }

    @Test func theSimulatorsConfigIsNotATarget() throws {
        let resolver = TargetResolver(environment: [:], homeDirectory: "/nonexistent")
        let message = failure(resolver, .init(configPath: Self.repository + "/config/sim.yaml"))
        #expect(message.contains("this is a simulator config (keys like executorId, pool, namespaces), not an armadactl config"))
        #expect(message.contains("testsuite serve --config"))
    }

    @Test func aFileThatNamesNoTargetIsAnErrorWhereverItComesFrom() throws {
        let dir = try Dir()
        let noCurrent = try dir.write("two.yaml", "contexts:\n  a:\n    armadaRestUrl: http://a:1\n  b:\n    armadaRestUrl: http://b:1\n")
        let empty = try dir.write("empty.yaml", "# nothing here yet\n")
        let resolver = TargetResolver(environment: [:], homeDirectory: "/nonexistent")
        #expect(failure(resolver, .init(configPath: noCurrent)) == "\(noCurrent) selects no context: set currentContext, or pass --context (contexts there: a, b)")
        #expect(failure(resolver, .init(configPath: empty)).hasPrefix("\(empty) names no Armada target: add currentContext and contexts"))
        #expect(failure(TargetResolver(environment: ["ARMADA_CONFIG": empty], homeDirectory: "/nonexistent"), .init())
            .hasPrefix("\(empty) names no Armada target"))
        let home = try Dir()
        _ = try home.write(".armadactl.yaml", "contexts:\n  a:\n    armadaRestUrl: http://a:1\n")
        #expect(failure(TargetResolver(environment: [:], homeDirectory: home.path), .init()).hasSuffix("selects no context: set currentContext, or pass --context (contexts there: a)"))
        // Picking the context, or naming the URL, resolves it.
        #expect(failure(resolver, .init(context: "b", configPath: noCurrent)) == "a target")
        #expect(failure(resolver, .init(restURL: "http://x:1", configPath: empty)) == "a target")
    }

    @Test func keysArmadactlKnowsButThisRunnerIgnoresAreWarnings() throws {
        let dir = try Dir()
        let file = try dir.write("upstream.yaml", """
            currentContext: local
            contexts:
              local:
                armadaUrl: localhost:50051
                armadaRestUrl: http://localhost:8081
                grpcKeepAliveTime: 30s
                grpcKeepAliveTimeout: 5s
                executorClusters: [kind-armada-test]
                forceNoTls: false
                execAuth: {cmd: get-token, interactive: true}
            """)
        let resolved = try target(TargetResolver(environment: [:], homeDirectory: "/nonexistent").resolve(.init(configPath: file)))
        #expect(resolved.warnings.count == 2)
        #expect(resolved.warnings[0].hasPrefix("\(file):8:5: contexts.local.executorClusters is an armadactl key this runner does not use"))
        #expect(resolved.warnings[1].hasPrefix("\(file):10:32: contexts.local.execAuth.interactive is an armadactl key"))
        // The gRPC keys are used now: keepalive, and TLS (forceNoTls: false).
        #expect(resolved.grpc == GRPCEndpoint(host: "localhost", port: 50051, tls: true, keepAliveTime: .seconds(30), keepAliveTimeout: .seconds(5)))
        #expect(resolved.contextName == "local")
    }

    @Test func deeplyNestedConfigsAreErrorsNotCrashes() throws {
        let dir = try Dir()
        let nested = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let file = try dir.write("deep.yaml", "currentContext: a\ncontexts:\n  a: \(nested)\n")
        #expect(failure(TargetResolver(environment: [:], homeDirectory: "/nonexistent"), .init(configPath: file)).hasPrefix("\(file):3:"))
    }
}
