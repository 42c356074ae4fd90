import DealerCore
import Foundation
import Testing

@Suite("Payment discipline: DSO and days late")
struct PaymentDisciplineTests {
    let rub = Currency.rub
    let october = CivilDate(year: 2026, month: 10, day: 1)!

    func entry(_ id: String, _ kind: LedgerEntryKind, _ amount: Int64, _ date: CivilDate, due: CivilDate? = nil) -> LedgerEntry {
        LedgerEntry(
            id: UUID(), dealerID: UUID(), externalID: id, kind: kind, documentNumber: id, documentDate: date,
            amount: Money(minorUnits: amount, currency: rub), dueDate: due, createdAt: Date(), updatedAt: Date())
    }

    func day(_ text: String) -> CivilDate { CivilDate(parsing: text)! }

    /// The README's example, by hand: 100 000 due 31.10 and 50 000 due 14.11; 60 000 paid on 5.11
    /// (5 days late on the first), 60 000 on 20.11 (40 000 of the first 20 days late, 20 000 of the
    /// second 6 days late); 30 000 shipped on 25.11 and 5 000 returned on 26.11.
    @Test func theWorkedExampleByHand() {
        let entries = [
            entry("S1", .shipment, 10_000_000, day("2026-10-01"), due: day("2026-10-31")),
            entry("S2", .shipment, 5_000_000, day("2026-10-15"), due: day("2026-11-14")),
            entry("P1", .payment, 6_000_000, day("2026-11-05")),
            entry("P2", .payment, 6_000_000, day("2026-11-20")),
            entry("S3", .shipment, 3_000_000, day("2026-11-25"), due: day("2026-12-25")),
            entry("R1", .return, 500_000, day("2026-11-26")),
        ]
        let report = PaymentDiscipline.compute(entries, from: day("2026-10-01"), to: day("2026-11-30"))
        let total = report.total
        #expect(total.days == 61 && total.salesMinor == 17_500_000 && total.paidMinor == 12_000_000)
        #expect(total.balanceAtEndMinor == 5_500_000)
        // 55 000 × 61 / 175 000 = 19.17…
        #expect(total.dsoDays == Decimal(string: "19.2"))
        #expect(total.paidOnTimePercent == 0)
        // (60 000 × 5 + 40 000 × 20 + 20 000 × 6) / 120 000 = 10.17…
        #expect(total.averageDaysLate == Decimal(string: "10.2") && total.maxDaysLate == 20)
        #expect(report.months.map(\.from) == [day("2026-10-01"), day("2026-11-01")])
        let (oct, nov) = (report.months[0], report.months[1])
        #expect(oct.salesMinor == 15_000_000 && oct.balanceAtEndMinor == 15_000_000 && oct.dsoDays == 31)
        #expect(oct.averageDaysLate == nil && oct.paidOnTimePercent == nil && oct.maxDaysLate == 0)
        #expect(nov.salesMinor == 2_500_000 && nov.dsoDays == 66 && nov.averageDaysLate == Decimal(string: "10.2"))
        // A payment on or before the due date is on time; an advance settles the next debt on time.
        let early = PaymentDiscipline.compute(
            [
                entry("P0", .payment, 1_000, day("2026-10-01")), entry("S1", .shipment, 3_000, day("2026-10-02"), due: day("2026-10-10")),
                entry("P1", .payment, 1_000, day("2026-10-10")), entry("P2", .payment, 1_000, day("2026-10-13")),
            ], from: october, to: day("2026-10-31"))
        #expect(early.total.paidOnTimePercent == Decimal(string: "66.7") && early.total.averageDaysLate == 1)
        #expect(early.total.balanceAtEndMinor == 0 && early.total.dsoDays == 0)
    }

    @Test func aSpanIsCutToItsMonthsAndRefusedBackwardsOrTooLong() {
        let report = PaymentDiscipline.compute([], from: day("2026-01-15"), to: day("2026-03-10"))
        #expect(report.months.map { "\($0.from.iso)…\($0.to.iso)" } == ["2026-01-15…2026-01-31", "2026-02-01…2026-02-28", "2026-03-01…2026-03-10"])
        #expect(report.total.dsoDays == nil && report.total.averageDaysLate == nil)
        #expect(PaymentDiscipline.problem(from: day("2026-02-01"), to: day("2026-01-31")) == .backwards)
        #expect(PaymentDiscipline.problem(from: day("2024-01-01"), to: day("2026-12-31")) == nil)
        #expect(PaymentDiscipline.problem(from: day("2023-12-31"), to: day("2026-12-01")) == .tooLong)
        let span = PaymentDiscipline.defaultSpan(today: day("2026-12-03"))
        #expect(span.from == day("2026-01-01") && span.to == day("2026-12-03"))
        // The last readable month does not loop.
        let edge = PaymentDiscipline.compute([], from: CivilDate(year: 9999, month: 11, day: 1)!, to: CivilDate(year: 9999, month: 12, day: 31)!)
        #expect(edge.months.count == 2)
        #expect(PlanPeriod.month(of: day("2026-11-05")).russianName == "ноябрь 2026")
    }

    /// Against a reference that settles debts one kopeck at a time: the n-th kopeck credited goes to
    /// the n-th kopeck owed in due-date order, and is late by the days between the two dates.
    @Test(arguments: 0..<30)
    func agreesWithAKopeckByKopeckReferenceOnRandomLedgers(_ seed: Int) {
        var generator = SeededGenerator(seed: UInt64(seed + 100))
        var entries: [LedgerEntry] = []
        for index in 0..<Int.random(in: 1...30, using: &generator) {
            let kind = [LedgerEntryKind.shipment, .invoice, .payment, .payment, .return, .adjustment].randomElement(using: &generator) ?? .payment
            let date = october.adding(days: Int.random(in: -40...120, using: &generator))
            var amount = Int64.random(in: 1...60, using: &generator)
            if kind == .adjustment && Bool.random(using: &generator) { amount = -amount }
            let debt = kind == .shipment || kind == .invoice || (kind == .adjustment && amount > 0)
            let due = debt && Int.random(in: 0..<8, using: &generator) > 0 ? date.adding(days: Int.random(in: 0...45, using: &generator)) : nil
            entries.append(entry("E\(index)", kind, amount, date, due: due))
        }
        let from = october.adding(days: Int.random(in: -10...30, using: &generator))
        let to = from.adding(days: Int.random(in: 0...100, using: &generator))
        let report = PaymentDiscipline.compute(entries, from: from, to: to)

        // Kopecks owed, in due order; kopecks credited, in date order, each with its payment date (nil: not a payment).
        let owed = entries.filter { $0.debtEffect > 0 }
            .sorted {
                ($0.dueDate ?? $0.documentDate, $0.documentDate, $0.externalID) < ($1.dueDate ?? $1.documentDate, $1.documentDate, $1.externalID)
            }
            .flatMap { Array(repeating: $0.dueDate ?? $0.documentDate, count: Int($0.debtEffect)) }
        let credited = entries.filter { $0.debtEffect < 0 }.sorted { ($0.documentDate, $0.externalID) < ($1.documentDate, $1.externalID) }
            .flatMap { Array(repeating: $0.kind == .payment ? $0.documentDate : nil, count: Int(-$0.debtEffect)) }
        let kopecks = zip(credited, owed).compactMap { paid, due in paid.map { (paid: $0, late: max(0, $0.days(since: due))) } }

        for figures in [report.total] + report.months {
            let inSpan = kopecks.filter { $0.paid >= figures.from && $0.paid <= figures.to }
            let dated = entries.filter { $0.documentDate >= figures.from && $0.documentDate <= figures.to }
            let sales = dated.filter { [.shipment, .invoice, .return].contains($0.kind) }.reduce(Int64(0)) { $0 + $1.debtEffect }
            let balance = entries.filter { $0.documentDate <= figures.to }.reduce(Int64(0)) { $0 + $1.debtEffect }
            #expect(figures.salesMinor == sales && figures.balanceAtEndMinor == balance)
            #expect(figures.paidMinor == dated.filter { $0.kind == .payment }.reduce(Int64(0)) { $0 + $1.amount.minorUnits })
            let days = figures.to.days(since: figures.from) + 1
            #expect(figures.dsoDays == (sales > 0 ? Self.tenths(Int(max(0, balance)) * days, sales == 0 ? 1 : Int(sales)) : nil))
            let late = inSpan.reduce(0) { $0 + $1.late }
            #expect(figures.averageDaysLate == (inSpan.isEmpty ? nil : Self.tenths(late, inSpan.count)), "seed \(seed)")
            let onTime = inSpan.filter { $0.late == 0 }.count
            #expect(figures.paidOnTimePercent == (inSpan.isEmpty ? nil : Self.tenths(onTime * 100, inSpan.count)))
            #expect(figures.maxDaysLate == inSpan.map(\.late).max() ?? 0)
        }
        #expect(report.months.first?.from == from && report.months.last?.to == to)
    }

    /// `a ÷ b` half up to one decimal, in integers: the tenths rounded, then placed.
    static func tenths(_ a: Int, _ b: Int) -> Decimal {
        let scaled = (a * 20 + b) / (2 * b)  // ⌊a × 10 / b + ½⌋
        return Decimal(scaled) / 10
    }
}
