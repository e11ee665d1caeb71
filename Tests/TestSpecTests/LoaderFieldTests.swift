import ArmadaAPI
import RetryEngine
import Testing
@testable import TestSpec

@Suite struct LoaderFieldTests {
    @Test func readsEveryTopLevelField() throws {
        let r = load("""
        name: everything
        queue: q
        numBatches: 2
        batchSize: 3
        interval: "1s"
        timeout: "1m30s"
        randomClientId: yes
        getLogs: on
        environment: dev
        target: local
        \(jobYAML)
            priority: 1.5
            clientId: abc
            labels: {a: b}
            annotations: {armadaproject.io/failFast: "true"}
            requiredNodeLabels: {zone: x}
            ingress:
              - type: Ingress
                ports: [8080]
                annotations: {x: y}
                tlsEnabled: true
                certName: cert
                useClusterIP: false
            services:
              - type: Headless
                ports: [80, 443]
                name: svc
            scheduler: armada
            externalJobUri: http://x
        expectedEvents:
          - submitted:
          - failed:
              reason: "exit code 1"
              failureCategory: user_error
              failureSubcategory: sub
              retryable: true
          - succeeded:
        reprioritize:
          request:
            newPriority: 5
          byJobSet: true
        triggerEvent: running
        """)
        #expect(errors(r) == [])
        let t = try #require(r.testCase)
        #expect(t.name == "everything" && t.queue == "q" && t.numBatches == 2 && t.batchSize == 3)
        #expect(t.interval == .seconds(1) && t.timeout == .seconds(90))
        #expect(t.randomClientId && t.getLogs && t.environment == "dev" && t.target == "local")
        let job = try #require(t.jobs.first)
        #expect(job.priority == 1.5 && job.clientId == "abc" && job.labels == ["a": "b"])
        #expect(job.annotations == ["armadaproject.io/failFast": "true"] && job.requiredNodeLabels == ["zone": "x"])
        #expect(job.ingress == [IngressConfig(type: .ingress, ports: [8080], annotations: ["x": "y"], tlsEnabled: true,
                                              certName: "cert", useClusterIP: false)])
        #expect(job.services == [ServiceConfig(type: .headless, ports: [80, 443], name: "svc")])
        #expect(job.scheduler == "armada" && job.externalJobUri == "http://x")
        #expect(t.expectedEvents.map(\.type) == [.submitted, .failed, .succeeded])
        #expect(t.expectedEvents[1].failed == FailedExpectation(reason: "exit code 1", failureCategory: "user_error",
                                                                failureSubcategory: "sub", retryable: true))
        #expect(t.expectedEvents[0].location == SourceLocation(file: "t.yaml", line: 36, column: 5))
        #expect(t.action == .reprioritize(JobReprioritizeRequest(newPriority: 5), byJobSet: true))
        #expect(t.trigger == .running)
        #expect(t.expectedSequence == "submitted → failed(user_error/sub, /exit code 1/, retryable) → succeeded")
        #expect(t.totalJobs == 6)
    }

    @Test func nameDefaultsToTheFileName() throws {
        let r = TestCaseLoader().load(text: "queue: q\nqueueConfig:\n  setup:\n", file: "dir/my_test.yaml")
        #expect(r.testCase?.name == "my_test")
        #expect(r.testCase?.fileName == "my_test")
    }

    @Test func podSpecIsKeptLosslessly() throws {
        let r = load("""
        queue: q
        numBatches: 1
        batchSize: 1
        expectedEvents: [{submitted: }]
        jobs:
          - namespace: default
            podSpec:
              terminationGracePeriodSeconds: 0
              nodeSelector: {enabled: "on", other: on}
              containers:
                - name: c
                  image: alpine
                  args: ["ls", 1, true]
                  resources:
                    requests: {cpu: 100m, memory: 1}
                  unknownFutureField: {x: null, y: 0x10, z: 1.50}
        """)
        #expect(errors(r) == [])
        let pod = try #require(r.testCase?.jobs.first?.podSpec)
        #expect(pod.jsonText == #"{"terminationGracePeriodSeconds":0,"nodeSelector":{"enabled":"on","other":"on"},"#
            + #""containers":[{"name":"c","image":"alpine","args":["ls",1,true],"resources":{"requests":{"cpu":"100m","memory":1}},"#
            + #""unknownFutureField":{"x":null,"y":16,"z":1.5}}]}"#)
    }

    @Test func podSpecsListAndPodSpecMustBeMappings() {
        let ok = load("""
        queue: q
        numBatches: 1
        batchSize: 1
        expectedEvents: [{submitted: }]
        jobs:
          - namespace: default
            podSpecs:
              - containers: [{name: c, image: i}]
        """)
        #expect(errors(ok) == [])
        #expect(ok.testCase?.jobs.first?.podSpecs?.count == 1)
        let bad = load("""
        queue: q
        numBatches: 1
        batchSize: 1
        expectedEvents: [{submitted: }]
        jobs:
          - namespace: default
            podSpec: [1]
        """)
        #expect(errors(bad).contains("7:14 expected a Kubernetes object (a mapping), found a list"))
    }

    @Test func jobsNeedNamespaceAndExactlyOnePodSpec() {
        let r = load("""
        queue: q
        numBatches: 1
        batchSize: 1
        expectedEvents: [{submitted: }]
        jobs:
          - priority: 0
          - namespace: d
            podSpec: {containers: []}
          - namespace: d
            podSpec: {containers: [{name: a}]}
            podSpecs: [{containers: [{name: b}]}]
        """)
        #expect(errors(r) == [
            "6:5 a job needs a namespace",
            "6:5 a job needs a podSpec",
            "8:14 a pod spec needs at least one container under containers:",
            "9:5 a job takes exactly one pod spec, found 2",
        ])
    }

    @Test func yaml11BooleansForTypedFieldsOnly() {
        for (text, value) in [("yes", true), ("On", true), ("y", true), ("no", false), ("OFF", false), ("false", false)] {
            let r = load("queue: q\nrandomClientId: \(text)\nqueueConfig:\n  setup:\n")
            #expect(r.testCase?.randomClientId == value, "\(text)")
        }
        let quoted = load("queue: q\nrandomClientId: \"true\"\nqueueConfig:\n  setup:\n")
        #expect(errors(quoted) == ["2:17 expected true or false, found the string \"true\""])
        #expect(quoted.errors.first?.hint == "remove the quotes")
    }

    @Test func numbersAreCheckedForType() {
        let r = load("queue: q\nnumBatches: -1\nbatchSize: many\nqueueConfig:\n  setup:\n")
        #expect(errors(r) == [
            "2:13 -1 is out of range: expected a whole number from 0 to 4294967295",
            "3:12 expected a whole number, found the string \"many\"",
        ])
    }

    @Test func retryPoliciesLoadWithFriendlyEnums() throws {
        let r = load("""
        queue: q
        queueConfig:
          setup:
        retryPolicies:
          - apiVersion: armadaproject.io/v1beta1
            kind: RetryPolicy
            name: p
            retryLimit: 2
            defaultAction: fail
            rules:
              - action: RETRY_ACTION_RETRY
                onConditions: [OOMKilled, AppError]
                onExitCodes: {operator: not_in, values: [0, 1]}
                onTerminationMessagePattern: ".*TRANSIENT.*"
                onCategory: oom
                onSubcategory: big
                mutate:
                  affinity: {avoidSameNode: true}
                  resources:
                    memory:
                      static: 512Mi
        """)
        #expect(errors(r) == [])
        let p = try #require(r.testCase?.retryPolicies.first)
        #expect(p == RetryPolicy(name: "p", retryLimit: 2, defaultAction: .fail, rules: [
            RetryRule(action: .retry, onConditions: ["OOMKilled", "AppError"],
                      onExitCodes: ExitCodeMatcher(operator: .notIn, values: [0, 1]),
                      onTerminationMessagePattern: ".*TRANSIENT.*", onCategory: "oom", onSubcategory: "big",
                      mutate: RetryMutation(affinity: RetryAffinityMutation(avoidSameNode: true),
                                            resources: RetryResourceMutation(memory: RetryResourceBump(static: "512Mi")))),
        ]))
    }

    @Test func badRetryPoliciesFailAtLoadTimeWithPositions() {
        let r = load("""
        queue: q
        queueConfig:
          setup:
        retryPolicies:
          - name: Bad_Name
            retryLimit: 1
            defaultAction: Maybe
            rules:
              - action: Retry
              - action: Retry
                onSubcategory: x
                onExitCodes: {operator: In, values: []}
                onTerminationMessagePattern: "(x"
                onConditions: [oomkilled]
                mutate: {resources: {memory: {factor: 1}}}
          - name: p
            kind: Queue
            defaultAction: Retry
          - name: p
            defaultAction: Retry
        """)
        #expect(errors(r) == [
            "5:11 retry policy \"Bad_Name\": name \"Bad_Name\" is not an RFC 1123 label: use lowercase letters, digits and '-', starting and ending with a letter or digit",
            "7:20 unknown value \"Maybe\"; expected Fail or Retry",
            "9:9 retry policy \"Bad_Name\": a rule needs at least one matcher: onConditions, onExitCodes, onTerminationMessagePattern or onCategory",
            "11:24 retry policy \"Bad_Name\": onSubcategory \"x\" needs onCategory: a subcategory only narrows a category",
            "12:45 retry policy \"Bad_Name\": values must list at least one exit code",
            "13:38 retry policy \"Bad_Name\": pattern \"(x\" does not compile: " + (RegexCheck.problem(in: "(x") ?? ""),
            "14:24 retry policy \"Bad_Name\": unknown condition \"oomkilled\"; did you mean \"OOMKilled\"? (names are case-sensitive)",
            "15:47 retry policy \"Bad_Name\": factor must be greater than 1.0, got 1.0",
            "17:11 kind must be RetryPolicy, got \"Queue\"",
            "19:11 retry policy \"p\" is defined twice (first at line 16)",
        ])
    }
}
