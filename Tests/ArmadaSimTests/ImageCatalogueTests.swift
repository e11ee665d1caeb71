import ArmadaSim
import Testing

/// The image catalogue (`images.yaml`) and Kubernetes' entrypoint rules, without processes.
@Suite struct ImageCatalogueTests {
    let catalogue = ImageCatalogue.builtIn

    @Test func theBuiltInCatalogueParsesAndEndsWithTheHostRoot() {
        // A fallback of one catch-all rule stands in when the file does not parse: more means it did.
        #expect(catalogue.rules.count >= 3)
        #expect(catalogue.rules.last == ImageRule(pattern: ".*", root: .host))
    }

    @Test func referencesResolveAsOnADockerRegistry() {
        for image in ["alpine", "alpine:3.20.0", "docker.io/library/alpine:3.20", "library/busybox", "busybox:1.36-musl",
                      "busybox@sha256:" + String(repeating: "a", count: 64)] {
            #expect(catalogue.rule(for: image).root == .busybox, "\(image)")
        }
        // The whole reference must match: other images whose names merely contain "alpine" are not alpine.
        for image in ["alpine-tools", "myregistry/alpine", "python:3.12-alpine", "ubuntu:22.04", "", "busybox:"] {
            #expect(catalogue.rule(for: image).root == .host && catalogue.rule(for: image).entrypoint == nil, "\(image)")
        }
        for image in ["alexeiled/stress-ng", "alexeiled/stress-ng:0.13.12", "docker.io/alexeiled/stress-ng:latest"] {
            #expect(catalogue.rule(for: image).entrypoint == ["stress-ng"], "\(image)")
            #expect(catalogue.rule(for: image).package == "stress-ng")
        }
        // kubectl images run the host's kubectl (Debian's kubernetes-client), in-cluster against the simulator's API.
        for image in ["bitnami/kubectl:1.24.8", "docker.io/bitnami/kubectl", "rancher/kubectl:v1.30.0"] {
            #expect(catalogue.rule(for: image).argv(command: nil, args: ["get", "po"]) == ["kubectl", "get", "po"], "\(image)")
            #expect(catalogue.rule(for: image).package == "kubernetes-client" && catalogue.rule(for: image).root == .host)
        }
    }

    @Test func commandAndArgsFollowKubernetesRules() {
        let image = ImageRule(pattern: "x", root: .host, entrypoint: ["/entry", "-v"], cmd: ["serve"])
        #expect(image.argv(command: nil, args: nil) == ["/entry", "-v", "serve"])
        #expect(image.argv(command: nil, args: ["run", "1"]) == ["/entry", "-v", "run", "1"]) // args replace cmd
        #expect(image.argv(command: ["sh", "-c"], args: nil) == ["sh", "-c"]) // command replaces entrypoint and cmd
        #expect(image.argv(command: ["sh", "-c"], args: ["exit 0"]) == ["sh", "-c", "exit 0"])
        #expect(image.argv(command: [], args: []) == ["/entry", "-v", "serve"]) // empty lists count as unset
        // Without an entrypoint (alpine), args alone are the command.
        let alpine = ImageRule(pattern: "alpine", root: .busybox, cmd: ["/bin/sh"], tool: "/bin/busybox")
        #expect(alpine.argv(command: nil, args: ["ls", "-l"]) == ["ls", "-l"])
        #expect(alpine.argv(command: nil, args: nil) == ["/bin/sh"])
    }

    @Test func aConfigsRulesComeFirstAndAreChecked() throws {
        let (config, _) = try SimConfigFile.parse("""
            images:
              - {pattern: 'alpine(:.*)?', root: host, entrypoint: [my-entry], tool: /usr/bin/env, package: coreutils}
            """, path: "sim.yaml")
        let catalogue = ImageCatalogue.withBuiltIn(config.images)
        #expect(catalogue.rule(for: "alpine:3").entrypoint == ["my-entry"])
        #expect(catalogue.rule(for: "busybox").root == .busybox) // the built-in rules follow
        let problems = [
            ("images: [{pattern: '(', root: host}]", "sim.yaml: images[0]: pattern \"(\" is not a valid Go regular expression"),
            ("images: [{pattern: x, root: alpine}]", "sim.yaml: images[0]: expected {pattern, root: busybox|host, entrypoint, cmd, tool, package}"),
            ("images: [{pattern: x, root: host, tool: bin/x}]", "sim.yaml: images[0]: tool \"bin/x\" must be an absolute path"),
            ("images: [{pattern: x, root: busybox}]", "sim.yaml: images[0]: a busybox root needs its tool"),
            ("images: {pattern: x}", "sim.yaml: images: expected a list of rules"),
        ]
        for (text, expected) in problems {
            #expect(throws: SimConfigFile.Problem.self) { try SimConfigFile.parse(text, path: "sim.yaml") }
            do {
                _ = try SimConfigFile.parse(text, path: "sim.yaml")
            } catch {
                #expect(error.description.hasPrefix(expected), "\(error.description)")
            }
        }
    }
}
