import DealerCore
import DealerTestSupport
import Foundation
import HTTPTypes
import Testing

@testable import dealerd

@Suite("Segment default credit terms from config")
struct SegmentPolicyConfigTests {
    static func configFile(_ yaml: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dealerd-\(UUID().uuidString).yaml").path
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test
    func segmentsAreReadFromTheFileAndBadOnesNamed() async throws {
        let good = try Self.configFile(
            """
            receivables:
              payment_term_days: 20
              segment_policies:
                trucks:
                  limit: "5 000 000"
                  payment_term_days: 45
                  minimum_overdue: "1 000,00"
                  hard_block: false
                грузовые б/у:
                  limit: 250000
            """)
        defer { try? FileManager.default.removeItem(atPath: good) }
        let config = try await ConfigLoader.load(path: good, environment: [:])
        let trucks = try #require(config.segmentPolicies["trucks"])
        #expect(trucks.limit.minorUnits == 500_000_000 && trucks.paymentTermDays == 45 && trucks.minimumOverdue.minorUnits == 100_000)
        #expect(trucks.hardBlock == false && trucks.warningPercent == 80 && trucks.segment == "trucks")
        #expect(config.segmentPolicies["грузовые б/у"]?.paymentTermDays == 20, "unset fields default as for a new policy")

        let bad = try Self.configFile(
            """
            receivables:
              segment_policies:
                trucks:
                  payment_term_days: 45
                vans:
                  limit: "a lot"
                  warning_percent: 180
            """)
        defer { try? FileManager.default.removeItem(atPath: bad) }
        await #expect {
            try await ConfigLoader.load(path: bad, environment: [:])
        } throws: { error in
            let text = "\(error)"
            return text.contains("receivables.segment_policies.trucks: needs at least a limit")
                && text.contains("receivables.segment_policies.vans.limit") && text.contains("receivables.segment_policies.vans.warning_percent")
        }
    }

    @Test(arguments: Backend.available)
    func theAPIShowsWhereADealersTermsComeFrom(_ backend: Backend) async throws {
        let file = try Self.configFile("receivables:\n  segment_policies:\n    cars:\n      limit: 300000\n      grace_days: 5\n")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let segments = try await ConfigLoader.load(path: file, environment: [:]).segmentPolicies
        try await APIHarness.run(backend, configure: { $0.segmentPolicies = segments }) { api in
            let dealer = try await api.call(.post, "/v1/dealers", as: .manager, json: dealerJSON(code: "SEG-1", name: "Сегментный"))
            let id = try #require(dealer.json["id"]?.stringValue)
            let inherited = try await api.call(.get, "/v1/dealers/\(id)/credit-policy")
            #expect(inherited.status == .ok)
            #expect(inherited.json["source"] == .string("segment") && inherited.json["segment"] == .string("cars"))
            #expect(inherited.json["limit"] == .string("300000.00") && inherited.json["grace_days"] == .number(5))
            _ = try await api.call(
                .post, "/v1/dealers/\(id)/ledger", as: .integration,
                json: #"{"external_id": "S-1", "kind": "shipment", "document_number": "1", "document_date": "2026-11-01", "amount": "290000"}"#)
            let list = try await api.call(.get, "/v1/receivables?state=warning")
            #expect(list.json["items"]?.array.first?["limit"] == .string("300000.00"), "the list reads the segment's limit too")

            let own = try await api.call(
                .put, "/v1/dealers/\(id)/credit-policy", as: .accountant, json: #"{"limit": "1000000", "reason": "залог"}"#)
            #expect(own.json["source"] == .string("dealer") && own.json["grace_days"] == .number(5))
        }
    }
}
