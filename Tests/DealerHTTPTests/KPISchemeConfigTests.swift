import DealerCore
import Foundation
import Testing

@testable import dealerd

@Suite("KPI schemes from Config/kpi")
struct KPISchemeConfigTests {
    @Test func theShippedSchemesLoadOnePerRole() async throws {
        let config = try await ConfigLoader.load(path: nil, environment: [:])
        #expect(Set(config.kpiSchemes.keys) == [.newClients, .existingClients, .service, .head, .call])
        let existing = try #require(config.kpiSchemes[.existingClients])
        #expect(existing.kpis.map(\.kpi) == [.salesVolume, .planFulfilment, .paymentsToReceivables, .overdueShare, .rhythmShare])
        #expect(existing.bonus.knockOut == .init(kpi: .withinLimitShare, minimum: 70, maximum: nil))
        #expect(config.kpiSchemes.values.allSatisfy { $0.problems.isEmpty && $0.version == "2026.1" })
    }

    @Test func aBrokenSchemeStopsTheStartWithTheFileAndTheKPINamed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kpi-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        func write(_ name: String, _ yaml: String) throws {
            try Data(yaml.utf8).write(to: URL(fileURLWithPath: (folder as NSString).appendingPathComponent(name)))
        }
        try write(
            "a.yaml",
            """
            role: service
            version: "1"
            title: Сервис
            bonus: { base: 1000 }
            kpis:
              - { kpi: act_timeliness, weight: 60, target: 100 }
              - { kpi: dealers_served, weight: 30, target: 0 }
            """)
        try write("b.yaml", "role: service\nversion: \"2\"\ntitle: Дубль\nbonus: { base: 1 }\nkpis:\n  - { kpi: callz, weight: 100, target: 1 }\n")
        try write("c.yaml", "role: head\nversion: \"1\"\ntitle: Без премии\nkpis: []\n")
        do {
            _ = try KPISchemeLoader.load(directory: folder)
            Issue.record("broken schemes were accepted")
        } catch let error as ConfigError {
            let text = error.problems.joined(separator: "\n")
            #expect(text.contains("a.yaml: kpis: the weights add up to 90, not 100"), "\(text)")
            #expect(text.contains("a.yaml: kpis[1] (dealers_served): target must be above 0"))
            #expect(text.contains("b.yaml: kpis[0].kpi"), "an unknown KPI is named where it stands: \(text)")
            #expect(text.contains("c.yaml: bonus is required"), "\(text)")
        }
        #expect(try KPISchemeLoader.load(directory: folder + "/absent").isEmpty, "no folder: no scorecards")
    }
}
