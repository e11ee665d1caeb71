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
        #expect(fromHome.restURL.absoluteString == "http://home:1" && fromHome.source == home.path + "/.armadactl.yaml")

        let fromFile = try target(TargetResolver(environment: [:], homeDirectory: home.path).resolve(.init(configPath: file)))
        #expect(fromFile.restURL.absoluteString == "http://localhost:8081")
        #expect(fromFile.grpcURL == "localhost:50051" && fromFile.credentials.summary == "basic (user admin)")
        #expect(fromFile.source == "context main in \(file)")

        let envContext = TargetResolver(environment: ["ARMADA_CONTEXT": "other", "ARMADA_CONFIG": file], homeDirectory: home.path)
        let other = try target(envContext.resolve(.init()))
        #expect(other.restURL.absoluteString == "http://other.example:9000" && other.credentials.summary == "exec (get-token)")

        let flagContext = try target(envContext.resolve(.init(context: "main")))
        #expect(flagContext.restURL.absoluteString == "http://localhost:8081")

        let envURL = TargetResolver(environment: ["ARMADA_REST_URL": "http://env:2", "ARMADA_CONFIG": file], homeDirectory: home.path)
        #expect(try target(envURL.resolve(.init())).restURL.absoluteString == "http://env:2")
        #expect(try target(envURL.resolve(.init(restURL: "flag:3"))).restURL.absoluteString == "http://flag:3")
        #expect(try target(envURL.resolve(.init(restURL: "flag:3"))).source == "--rest-url")

        let tokenEnv = TargetResolver(environment: ["ARMADA_CONFIG": file, "ARMADA_BEARER_TOKEN": "t"], homeDirectory: home.path)
        #expect(try target(tokenEnv.resolve(.init())).credentials.summary == "bearer token")
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
        #expect(message(.init(context: "grpcOnly", configPath: file)).contains(
            "names only armadaUrl (gRPC, cluster:50051); this runner talks to Armada's REST gateway: add armadaRestUrl (the goreman dev stack serves it at http://localhost:8081)"))
        #expect(message(.init(context: "nope", configPath: file)) == "context nope not found under contexts in \(file); contexts there: grpcOnly, main, oidc, other")
        #expect(message(.init(context: "oidc", configPath: file)).hasPrefix("context oidc in \(file) uses openIdDeviceAuth, which this runner cannot perform"))
        #expect(message(.init(configPath: dir.path + "/missing.yaml")) == "could not find config file \(dir.path)/missing.yaml")
        #expect(message(.init(restURL: "ftp://x")) == "--rest-url: \"ftp://x\" is not a URL")
        let broken = try dir.write("broken.yaml", "contexts: [\n")
        #expect(message(.init(configPath: broken)).hasPrefix("\(broken):2:1: not valid YAML"))
        let parsed = try ArmadaConfigFile.load(path: file)
        #expect(!String(describing: parsed).contains("pw-main"))
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    @Test func theShippedConfigsResolve() throws {
        let resolver = TargetResolver(environment: [:], homeDirectory: "/nonexistent")
        let local = try target(resolver.resolve(.init(configPath: Self.repository + "/config/localdev.yaml")))
        #expect(local.restURL.absoluteString == "http://localhost:8081" && local.grpcURL == "localhost:50051")
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
                executorClusters: [kind-armada-test]
                forceNoTls: false
                execAuth: {cmd: get-token, interactive: true}
            """)
        let resolved = try target(TargetResolver(environment: [:], homeDirectory: "/nonexistent").resolve(.init(configPath: file)))
        #expect(resolved.warnings.count == 3)
        #expect(resolved.warnings[0].hasPrefix("\(file):6:5: contexts.local.grpcKeepAliveTime is an armadactl key this runner does not use"))
        #expect(resolved.warnings[1].hasPrefix("\(file):7:5: contexts.local.executorClusters is an armadactl key this runner does not use"))
        #expect(resolved.warnings[2].hasPrefix("\(file):9:32: contexts.local.execAuth.interactive is an armadactl key"))
        #expect(resolved.contextName == "local")
    }

    @Test func deeplyNestedConfigsAreErrorsNotCrashes() throws {
        let dir = try Dir()
        let nested = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let file = try dir.write("deep.yaml", "currentContext: a\ncontexts:\n  a: \(nested)\n")
        #expect(failure(TargetResolver(environment: [:], homeDirectory: "/nonexistent"), .init(configPath: file)).hasPrefix("\(file):3:"))
    }
}
