import DealerCore
import DealerStore
import DealerTestSupport
import Foundation
import Testing

/// The ageing report's set query against Core's reference allocation (`ReceivablesPosition`) on
/// random ledgers, as of random days, on both databases.
@Suite("The ageing report against the reference allocation")
struct AgeingReportStoreTests {
    static let today = CivilDate(daysSinceEpoch: 20807)  // 2026-12-20

    @Test(arguments: Backend.available)
    func everyDealersBucketsMatchTheReferenceAsOfAnyDay(_ backend: Backend) async throws {
        try await withTestStore(backend) { (store: Store) async throws in
            var random = SystemRandomNumberGenerator()
            var dealers: [UUID] = []
            for index in 0..<5 {
                let dealer = try await store.createDealer(.sample(code: "AG-\(index)", taxID: KnownINN.organisations[index]), by: testActor)
                dealers.append(dealer.id)
                let drafts = (0..<30).map { number -> LedgerEntryDraft in
                    let kind = ["shipment", "invoice", "payment", "return"].randomElement(using: &random) ?? "shipment"
                    let date = Self.today.adding(days: -Int.random(in: 0...240, using: &random))
                    let due = ["payment", "return"].contains(kind) ? nil : date.adding(days: Int.random(in: 0...45, using: &random)).iso
                    return LedgerEntryDraft(
                        externalID: "AG-\(index)-\(number)", kind: kind, documentNumber: "\(number)", documentDate: date.iso,
                        amount: "\(Int.random(in: 1...900_000, using: &random)).\(Int.random(in: 10...99, using: &random))", currency: "RUB",
                        dueDate: due)
                }
                _ = try await store.recordLedgerEntries(
                    drafts.map { (DealerReference.id(dealer.id), $0) }, correcting: false, defaults: CreditDefaults(), today: Self.today,
                    prefix: { "entries[\($0)]." }, by: testActor)
            }
            for asOf in [Self.today, Self.today.adding(days: -Int.random(in: 1...200, using: &random)), Self.today.adding(days: 75)] {
                let report = try await store.ageingReport(asOf: asOf, groupBy: .segment, currency: .rub)
                var total = AgeingBuckets()
                for dealer in dealers {
                    let entries = try await store.ledgerEntries(dealerID: dealer, page: PageRequest(limit: 500)).items
                    let reference = ReceivablesPosition.compute(entries.filter { $0.documentDate <= asOf }, asOf: asOf)
                    let row = report.rows.first { $0.dealerID == dealer }
                    #expect((row?.buckets ?? AgeingBuckets()) == reference.ageing, "\(asOf.iso) \(dealer)")
                    #expect((row?.balance ?? 0) == reference.balance)
                    total.add(reference.ageing)
                }
                #expect(report.total.buckets == total && report.groups.count == 1 && report.groups.first?.buckets == total)
            }
        }
    }
}
