import Foundation
import RetryEngine
import Testing

@Suite struct RetryPolicyCodableTests {
    @Test func decodesTheGatewayExample() throws {
        let json = #"""
        {"name": "ml-training-retries", "retryLimit": 3, "defaultAction": "Fail",
         "rules": [{"action": "Fail", "onCategory": "user_error"},
                   {"action": "Retry", "onCategory": "gpu", "onSubcategory": "transient"},
                   {"action": "Retry", "onCategory": "internal", "onSubcategory": "node-failure",
                    "mutate": {"affinity": {"avoidSameNode": true}}},
                   {"action": "Retry", "onCategory": "oom", "mutate": {"resources": {"memory": {"factor": 1.5}}}}]}
        """#
        let p = try JSONDecoder().decode(RetryPolicy.self, from: Data(json.utf8))
        #expect(p.name == "ml-training-retries" && p.retryLimit == 3 && p.defaultAction == .fail)
        #expect(p.rules.map(\.action) == [.fail, .retry, .retry, .retry])
        #expect(p.rules[2].mutate?.affinity?.avoidSameNode == true)
        #expect(p.rules[3].mutate?.resources?.memory?.factor == 1.5)
    }

    @Test func decodesEnumsByNumberOrAnyNameAndToleratesUnknownKeys() throws {
        let json = #"{"name":"p","defaultAction":2,"extra":1,"rules":[{"action":"RETRY_ACTION_FAIL","onExitCodes":{"operator":"not_in","values":[1]}}]}"#
        let p = try JSONDecoder().decode(RetryPolicy.self, from: Data(json.utf8))
        #expect(p.defaultAction == .retry)
        #expect(p.rules[0].action == .fail)
        #expect(p.rules[0].onExitCodes?.operator == .notIn)
    }

    @Test func encodesAsTheGatewayDoes() throws {
        let p = RetryPolicy(name: "p", retryLimit: 0, defaultAction: .fail,
                            rules: [RetryRule(action: .retry, onConditions: ["AppError"], onCategory: "")])
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(p), as: UTF8.self)
        #expect(text == #"{"defaultAction":"Fail","name":"p","rules":[{"action":"Retry","onConditions":["AppError"]}]}"#)
    }

    @Test(arguments: [("Fail", RetryAction.fail), ("retry", .retry), ("RETRY_ACTION_RETRY", .retry), ("1", .fail),
                      ("FAIL", .fail)])
    func friendlyActionNames(text: String, action: RetryAction) {
        #expect(RetryAction(friendlyName: text) == action)
    }

    @Test(arguments: [("In", ExitCodeOperator.in), ("NotIn", .notIn), ("not_in", .notIn),
                      ("EXIT_CODE_OPERATOR_NOT_IN", .notIn), ("2", .notIn)])
    func friendlyOperatorNames(text: String, op: ExitCodeOperator) {
        #expect(ExitCodeOperator(friendlyName: text) == op)
    }

    @Test func unknownFriendlyNames() {
        #expect(RetryAction(friendlyName: "Maybe") == nil)
        #expect(RetryAction(friendlyName: "7") == nil)
        #expect(ExitCodeOperator(friendlyName: "Between") == nil)
    }
}
