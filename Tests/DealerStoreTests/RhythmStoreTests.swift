import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import Testing

/// The store reads each dealer's latest shipment days in SQL (a lateral join on PostgreSQL, a window
/// on SQLite) and hands only those to the rhythm model; here the model is fed every shipment day the
/// test wrote, and the two assessments must agree, on random ledgers and both databases.
@Suite("Shipment rhythm from the store against the model over every document")
struct RhythmStoreTests {
    /// 2026-12-20 12:00 in Moscow.
    static let now = Date(timeIntervalSince1970: 1_797_757_200)
    static let today = CivilDate(daysSinceEpoch: 20807)  // 2026-12-20

    @Test(arguments: Backend.available)
    func theLatestShipmentDaysGiveTheSameAssessmentAsTheWholeHistory(_ backend: Backend) async throws {
        try await withTestStore(backend, clock: TestClock(Self.now)) { (store: Store) async throws in
            var random = SystemRandomNumberGenerator()
            let settings = RhythmSettings(minIntervals: 3, historyIntervals: 5)
            var shipped: [UUID: [CivilDate]] = [:]
            var dealers: [UUID] = []
            for index in 0..<min(12, KnownINN.organisations.count) {
                let dealer = try await store.createDealer(.sample(code: "R-\(index)", taxID: KnownINN.organisations[index]), by: testActor)
                dealers.append(dealer.id)
                // A cadence of its own, so some dealers are on rhythm, some late, some broken, some learning.
                let cadence = Int.random(in: 3...20, using: &random)
                var day = Self.today.adding(days: -Int.random(in: 30...200, using: &random))
                var drafts: [LedgerEntryDraft] = []
                for number in 0..<Int.random(in: 0...24, using: &random) {
                    // Several documents on one day count once; returns and payments are not shipments.
                    if Int.random(in: 0..<4, using: &random) > 0 { day = day.adding(days: cadence + Int.random(in: -2...2, using: &random)) }
                    guard day <= Self.today else { break }
                    let kind = ["shipment", "shipment", "shipment", "return", "payment"].randomElement(using: &random) ?? "shipment"
                    if kind == "shipment" { shipped[dealer.id, default: []].append(day) }
                    drafts.append(
                        LedgerEntryDraft(
                            externalID: "R-\(index)-\(number)", kind: kind, documentNumber: "R-\(index)-\(number)", documentDate: day.iso,
                            amount: "1000.00", currency: "RUB", dueDate: kind == "shipment" ? day.adding(days: 30).iso : nil))
                }
                if !drafts.isEmpty {
                    _ = try await store.recordLedgerEntries(
                        drafts.map { (DealerReference.id(dealer.id), $0) }, correcting: false, defaults: CreditDefaults(), today: Self.today,
                        prefix: { "entries[\($0)]." }, by: testActor)
                }
            }
            // Today and a day in the past, so documents after the day are left out as the model leaves them.
            for day in [Self.today, Self.today.adding(days: -25)] {
                for dealer in dealers {
                    let stored = try await store.rhythm(dealerID: dealer, today: day, settings: settings).assessment
                    let model = RhythmModel.assess(shipments: shipped[dealer] ?? [], setInterval: nil, today: day, settings: settings)
                    #expect(stored == model, "\(backend) \(day.iso): \(stored) ≠ \(model)")
                }
            }
        }
    }
}
