import ArmadaAPI
import ArmadaGRPC
import ArmadaGRPCWire
import Foundation
import Testing
import TestSpec

/// A pod spec crosses from Kubernetes JSON (what test cases and the REST gateway carry) to the
/// gRPC PodSpec message and back without loss, quantities and int-or-string ports included.
struct PodSpecWireTests {
    static let spec = """
    {"restartPolicy": "Never", "terminationGracePeriodSeconds": 0, "priorityClassName": "armada-default",
     "nodeSelector": {"kubernetes.io/hostname": "node-1"},
     "volumes": [{"name": "podinfo", "downwardAPI": {"items": [{"path": "run_index",
        "fieldRef": {"fieldPath": "metadata.labels['armada_job_run_index']"}}]}},
        {"name": "scratch", "emptyDir": {"sizeLimit": "1Gi"}}],
     "containers": [{"name": "main", "image": "alpine:3.20.0", "command": ["sh", "-c", "exit 1"],
        "ports": [{"containerPort": 8080}],
        "livenessProbe": {"httpGet": {"path": "/health", "port": "http"}, "periodSeconds": 5},
        "readinessProbe": {"tcpSocket": {"port": 8080}},
        "resources": {"requests": {"cpu": "100m", "memory": "25Mi"}, "limits": {"cpu": "1", "memory": "64Mi", "nvidia.com/gpu": 1}}}]}
    """

    func decode(_ text: String) throws -> JSONValue { try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) }

    @Test func quantitiesPortsAndVolumesSurviveTheRoundTrip() throws {
        let json = try decode(Self.spec)
        let proto = try PodSpecWire.proto(from: json)
        #expect(proto.containers[0].resources.requests["memory"]?.string == "25Mi")
        #expect(proto.containers[0].resources.limits["nvidia.com/gpu"]?.string == "1")
        #expect(proto.containers[0].livenessProbe.handler.httpGet.port.strVal == "http")
        #expect(proto.containers[0].readinessProbe.handler.tcpSocket.port.intVal == 8080)
        #expect(proto.volumes[1].volumeSource.emptyDir.sizeLimit.string == "1Gi")
        #expect(proto.restartPolicy == "Never" && proto.terminationGracePeriodSeconds == 0)
        let back = try PodSpecWire.json(from: proto)
        let container = try #require(back["containers"]?.arrayValue?.first)
        #expect(container["resources"]?["limits"]?["memory"] == .string("64Mi"))
        #expect(container["livenessProbe"]?["httpGet"]?["port"] == .string("http"))
        #expect(container["readinessProbe"]?["tcpSocket"]?["port"] == .number("8080"))
        #expect(back["volumes"]?.arrayValue?[1]["emptyDir"]?["sizeLimit"] == .string("1Gi"))
    }

    @Test func aFieldThePodSpecDoesNotHaveIsAnErrorNamingIt() throws {
        #expect(throws: PodSpecWire.Problem.self) { try PodSpecWire.proto(from: try decode(#"{"containerz": []}"#)) }
        do {
            _ = try PodSpecWire.proto(from: try decode(#"{"containerz": []}"#))
        } catch {
            #expect("\(error)".contains("containerz"), "\(error)")
        }
    }

    /// Every pod spec of the library crosses to gRPC and back unchanged.
    @Test func everyLibraryPodSpecRoundTrips() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let files = try TestDiscovery(workingDirectory: root.path).resolve("testcases/**/*.yaml")
        var specs = 0
        for file in files {
            let test = try #require(TestCaseLoader().load(file: root.path + "/" + file).testCase)
            for job in test.jobs {
                guard let spec = job.podSpec else { continue }
                let back = try PodSpecWire.json(from: try PodSpecWire.proto(from: spec))
                #expect(back == spec, "\(file): \(spec.jsonText)\n→ \(back.jsonText)")
                specs += 1
            }
        }
        #expect(specs >= 20)
    }
}
