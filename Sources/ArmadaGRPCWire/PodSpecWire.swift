import ArmadaAPI
import ArmadaGRPC
import Foundation
import SwiftProtobuf

/// A pod spec as the REST gateway carries it (Kubernetes JSON) ⇄ as gRPC carries it
/// (`k8s.io.api.core.v1.PodSpec`).
public enum PodSpecWire {
    static let type = "k8s.io.api.core.v1.PodSpec"

    public struct Problem: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Fails on what the protobuf message cannot hold (an unknown field, a wrong type), naming it.
    public static func proto(from json: JSONValue) throws(Problem) -> K8s_Io_Api_Core_V1_PodSpec {
        let text = K8sJSON.toProto(json, type: type).jsonText
        do {
            return try K8s_Io_Api_Core_V1_PodSpec(jsonString: text)
        } catch {
            throw Problem(description: "the pod spec does not fit Armada's gRPC PodSpec: \(error)")
        }
    }

    public static func json(from spec: K8s_Io_Api_Core_V1_PodSpec) throws(Problem) -> JSONValue {
        do {
            let text = try spec.jsonUTF8Data()
            let value = try JSONDecoder().decode(JSONValue.self, from: text)
            return K8sJSON.fromProto(value, type: type)
        } catch {
            throw Problem(description: "the gRPC PodSpec has no JSON form: \(error)")
        }
    }
}
