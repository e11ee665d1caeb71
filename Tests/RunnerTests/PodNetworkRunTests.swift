import ArmadaAPI
import ArmadaClient
import ArmadaSim
import Foundation
import Runner
import Testing
import TestSpec

/// Jobs that need the pod network (issue #18), run by the runner on the process runtime: upstream's
/// ingress case (a busybox `nc` server answering the runner's probe through the simulator's
/// ingress controller), a NodePort service probed at its pod address, a headless service whose
/// pod reaches itself by the service's name, and probes that fail the test.
@Suite(.serialized) struct PodNetworkRunTests {
    /// Its own work root: `ProcessRuntimeTests` checks that nothing is left in the default one.
    static let runtime = ProcessRuntime(workRoot: ProcessRuntime.defaultWorkRoot + "-network-tests")
    static let fast = SimConfig.Timings(cyclePeriod: 0.002, leaseToPending: 0.001, pendingToRunning: 0.001,
                                        defaultWorkloadDuration: 0.001, imagePullFailGrace: 0.01, timeScale: 1)

    func run(_ yaml: String, probeDeadline: Duration = .seconds(60)) async throws -> TestResult {
        let simulator = Simulator(config: SimConfig(timings: Self.fast), runtime: Self.runtime)
        let result = try await SimServer.withFrontDoors(simulator, grpcPort: nil) { ports in
            let client = ArmadaRESTClient(baseURL: URL(string: "http://127.0.0.1:\(ports.rest)")!)
            let settings = TestCaseRunner.Settings(ingressProbe: .init(baseURL: URL(string: "http://127.0.0.1:\(ports.ingress)"), deadline: probeDeadline))
            let test = try #require(TestCaseLoader().load(text: yaml, file: "network.yaml").testCase)
            return await TestCaseRunner(client: client, settings: settings).run(test)
        }
        // Every pod has left the network, and a stopped simulator's runtime removed its bridge.
        #expect(Self.runtime.podNetwork == nil)
        let runs = (try? FileManager.default.contentsOfDirectory(atPath: Self.runtime.runDirectory)) ?? []
        #expect(runs.isEmpty, "left behind: \(runs)")
        #expect(Self.runtime.bridges.isEmpty && Self.runtime.networkLeftovers.isEmpty, "\(Self.runtime.bridges) \(Self.runtime.networkLeftovers)")
        return result
    }

    static func job(_ body: String, expected: [String] = ["submitted", "succeeded"]) -> String {
        """
        numBatches: 1
        batchSize: 1
        queue: e2e-test-queue
        jobs:
          - namespace: default
        \(body.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n"))
        ---
        timeout: "60s"
        expectedEvents:
        \(expected.map { "  - \($0):" }.joined(separator: "\n"))
        """
    }

    static let ncServer = """
        ingress:
          - type: Ingress
            ports: [4000]
        podSpec:
          terminationGracePeriodSeconds: 0
          restartPolicy: Never
          containers:
            - name: nc
              image: alpine:3.20.0
              args: ["nc", "-l", "-p", "4000", "-e", "echo", "HTTP/1.1 200 OK\\nContent-Length: 12\\nConnection: close\\nContent-Type: text/html\\n\\nHello world!"]
              resources: {limits: {memory: 100Mi, cpu: 100m}, requests: {memory: 100Mi, cpu: 100m}}
              ports: [{containerPort: 4000, protocol: TCP, name: port}]
        """

    @Test func upstreamsIngressCasePassesThroughTheRunnersProbe() async throws {
        // The pod exits only after answering one request: the run succeeds because the probe reached it.
        let result = try await run(Self.job(Self.ncServer, expected: ["submitted", "ingressInfo", "succeeded"]))
        #expect(result.passed, "\(result.outcome) \(result.log)")
        #expect(result.log.contains { $0.contains("ingress: 1 address answered HTTP 200") }, "\(result.log)")
    }

    @Test func aProbeThatNeverGets200FailsTheTest() async throws {
        let silent = """
            ingress:
              - ports: [4001]
            podSpec:
              terminationGracePeriodSeconds: 0
              containers:
                - name: quiet
                  image: alpine:3.20.0
                  command: ["sleep", "30"]
                  resources: {limits: {memory: 64Mi, cpu: 100m}, requests: {memory: 64Mi, cpu: 100m}}
                  ports: [{containerPort: 4001}]
            """
        let result = try await run(Self.job(silent, expected: ["submitted", "ingressInfo"]), probeDeadline: .seconds(2))
        #expect(result.status == .failed, "\(result.outcome)")
        #expect("\(result.outcome)".contains("ingress probe of quiet-4001-armada-"), "\(result.outcome)")
        #expect("\(result.outcome)".contains(": 502"), "\(result.outcome)")
    }

    @Test func aNodePortServiceIsProbedAtThePodsAddress() async throws {
        let nodePort = """
            services:
              - type: NodePort
                ports: [5000]
            podSpec:
              terminationGracePeriodSeconds: 0
              containers:
                - name: web
                  image: busybox:1.36
                  command: ["nc", "-l", "-p", "5000", "-e", "echo", "HTTP/1.1 200 OK\\nContent-Length: 2\\nConnection: close\\n\\nok"]
                  resources: {limits: {memory: 64Mi, cpu: 100m}, requests: {memory: 64Mi, cpu: 100m}}
                  ports: [{containerPort: 5000}]
            """
        let result = try await run(Self.job(nodePort, expected: ["submitted", "ingressInfo", "succeeded"]))
        #expect(result.passed, "\(result.outcome) \(result.log)")
    }

    @Test func aHeadlessServicesNameLeadsToItsPod() async throws {
        // The pod serves on port 1000 (below 1024, as root in a pod may) and connects to itself by the
        // service's name and by its own, through the generated /etc/hosts.
        let headless = """
            services:
              - type: Headless
                ports: [1000]
            podSpec:
              terminationGracePeriodSeconds: 0
              restartPolicy: Never
              containers:
                - name: client
                  image: alpine:3.20.0
                  command: ["sh", "-c"]
                  args:
                    - |
                      nc -ll -p 1000 -e echo pong &
                      for name in "armada-$JOB_ID-0-service-0" "armada-$JOB_ID-0-service-0.default.svc.cluster.local" "$HOSTNAME"; do
                        for i in 1 2 3 4 5 6 7 8 9 10; do
                          out=$(nc -w 2 "$name" 1000 </dev/null) && [ "$out" = pong ] && break
                          sleep 0.2
                        done
                        [ "$out" = pong ] || { echo "no answer from $name: $(cat /etc/hosts)" > /dev/termination-log; exit 1; }
                      done
                  env:
                    - name: JOB_ID
                      valueFrom: {fieldRef: {fieldPath: "metadata.labels['armada_job_id']"}}
                  resources: {limits: {memory: 64Mi, cpu: 100m}, requests: {memory: 64Mi, cpu: 100m}}
                  ports: [{containerPort: 1000}]
            """
        let result = try await run(Self.job(headless, expected: ["submitted", "ingressInfo", "succeeded"]))
        #expect(result.passed, "\(result.outcome) \(result.log)")
    }

    /// Upstream's gang case: each member lists the pods of its gang with in-cluster `kubectl` and a
    /// JSONPath over their annotations and `status.podIP`, until it sees all three.
    @Test func gangMembersListTheirGangsAddressesWithKubectl() async throws {
        let gang = """
            annotations:
              armadaproject.io/gangId: "my-gang"
              armadaproject.io/gangCardinality: "3"
            podSpec:
              restartPolicy: Never
              terminationGracePeriodSeconds: 0
              containers:
                - name: sleep
                  image: bitnami/kubectl:1.24.8
                  command: ["bash", "-c"]
                  args:
                    - |
                      SERVICEACCOUNT=/var/run/secrets/kubernetes.io/serviceaccount
                      NAMESPACE=$(cat ${SERVICEACCOUNT}/namespace)
                      JSONPATH="{.items[?(@.metadata.annotations.armadaproject\\.io/gangId=='${GANG_ID}')].status.podIP}"
                      for i in {1..50}; do
                        out=$(kubectl get po -n ${NAMESPACE} -o jsonpath=${JSONPATH})
                        IFS=' ' read -ra IPS <<< "$out"
                        if [ "${#IPS[@]}" -ge 3 ]; then echo "IPs: $out"; exit 0; fi
                        sleep 0.2
                      done
                      echo "at least one gang job missing: $out" > /dev/termination-log
                      exit 1
                  env:
                    - name: GANG_ID
                      valueFrom: {fieldRef: {fieldPath: "metadata.annotations['armadaproject.io/gangId']"}}
                  resources: {limits: {memory: 256Mi, cpu: 100m}, requests: {memory: 256Mi, cpu: 100m}}
            """
        let result = try await run(Self.job(gang).replacingOccurrences(of: "batchSize: 1", with: "batchSize: 3"))
        #expect(result.passed, "\(result.outcome) \(result.log)")
    }

    /// Upstream's headless-service case: the pod gets its service by the executor's name with `kubectl`.
    @Test func aPodGetsItsHeadlessServiceWithKubectl() async throws {
        let headless = """
            services:
              - ports: [1000]
                type: Headless
            podSpec:
              terminationGracePeriodSeconds: 0
              restartPolicy: Never
              containers:
                - name: client
                  image: bitnami/kubectl:1.24.8
                  command: ["bash", "-c"]
                  args:
                    - |
                      SERVICEACCOUNT=/var/run/secrets/kubernetes.io/serviceaccount
                      NAMESPACE=$(cat ${SERVICEACCOUNT}/namespace)
                      kubectl get service -n ${NAMESPACE} armada-${JOB_ID}-0-headless > /dev/termination-log 2>&1 || exit 1
                      kubectl get service -n ${NAMESPACE} armada-${JOB_ID}-0-service-0 -o jsonpath='{.spec.clusterIP}' | grep -qx None
                  env:
                    - name: JOB_ID
                      valueFrom: {fieldRef: {fieldPath: "metadata.labels['armada_job_id']"}}
                  resources: {limits: {memory: 256Mi, cpu: 100m}, requests: {memory: 256Mi, cpu: 100m}}
                  ports: [{containerPort: 1000, protocol: TCP, name: port1000}]
            """
        let result = try await run(Self.job(headless, expected: ["submitted", "ingressInfo", "succeeded"]))
        #expect(result.passed, "\(result.outcome) \(result.log)")
    }
}
