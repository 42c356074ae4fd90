import DealerCore
import Foundation
import Testing

@Suite("Money, dates and receivables arithmetic")
struct ReceivablesCoreTests {
    let rub = Currency.rub
    let day0 = CivilDate(year: 2026, month: 10, day: 1)!

    @Test func moneyParsesAsOneCAndExcelWriteItAndNeverRounds() throws {
        #expect(try Money(parsing: "125000.50", currency: rub).minorUnits == 12_500_050)
        #expect(try Money(parsing: "125 000,50", currency: rub).minorUnits == 12_500_050)
        #expect(try Money(parsing: "125\u{00A0}000,5", currency: rub).minorUnits == 12_500_050)
        #expect(try Money(parsing: "-15", currency: rub).minorUnits == -1500)
        #expect(try Money(parsing: "0.07", currency: rub).decimalString == "0.07")
        #expect(try Money(parsing: "-0.5", currency: rub).decimalString == "-0.50")
        #expect(throws: Money.Problem.tooManyDigits(allowed: 2)) { try Money(parsing: "1.005", currency: rub) }
        #expect(throws: Money.Problem.notANumber("1e5")) { try Money(parsing: "1e5", currency: rub) }
        #expect(throws: Money.Problem.notANumber("12.")) { try Money(parsing: "12.", currency: rub) }
        #expect(throws: Money.Problem.tooLarge) { try Money(parsing: "99999999999999999999", currency: rub) }
        let big = Money(minorUnits: .max, currency: rub)
        #expect(throws: Money.Problem.tooLarge) { try big.adding(Money(minorUnits: 1, currency: rub)) }
        #expect(throws: Money.Problem.currencyMismatch(rub, Currency(code: "usd")!)) {
            try big.adding(Money(minorUnits: 1, currency: Currency(code: "USD")!))
        }
        #expect(try Money(parsing: "7", currency: Currency(code: "JPY")!).decimalString == "7")
    }

    @Test func businessDatesParseBothWaysAndKnowTheCalendar() {
        #expect(CivilDate(parsing: "2028-02-29")?.iso == "2028-02-29")
        #expect(CivilDate(parsing: "29.02.2028") == CivilDate(year: 2028, month: 2, day: 29))
        #expect(CivilDate(parsing: "29.02.2027") == nil)
        #expect(CivilDate(parsing: "2026-13-01") == nil)
        #expect(CivilDate(parsing: "1.1.26") == nil)
        #expect(CivilDate(year: 2026, month: 12, day: 31)!.adding(days: 1).iso == "2027-01-01")
        #expect(CivilDate(year: 1970, month: 1, day: 1)!.daysSinceEpoch == 0)
        let lateEvening = Date(timeIntervalSince1970: 1_795_035_600)  // 2026-11-18T21:00:00Z: midnight in Moscow
        #expect(CivilDate(lateEvening, in: TimeZone(identifier: "Europe/Moscow")!).iso == "2026-11-19")
        #expect(CivilDate(lateEvening, in: TimeZone(identifier: "UTC")!).iso == "2026-11-18")
    }

    func entry(_ id: String, _ kind: LedgerEntryKind, _ amount: Int64, date: CivilDate, due: CivilDate? = nil) -> LedgerEntry {
        LedgerEntry(
            id: UUID(), dealerID: UUID(), externalID: id, kind: kind, documentNumber: id, documentDate: date,
            amount: Money(minorUnits: amount, currency: rub),
            dueDate: due ?? (amount > 0 && kind != .payment && kind != .return ? date.adding(days: 30) : nil),
            createdAt: Date(), updatedAt: Date())
    }

    @Test func paymentsSettleTheOldestDebtsFirst() {
        let entries = [
            entry("S1", .shipment, 100_000, date: day0),
            entry("S2", .shipment, 50_000, date: day0.adding(days: 10)),
            entry("S3", .shipment, 70_000, date: day0.adding(days: 40)),
            entry("P1", .payment, 120_000, date: day0.adding(days: 45)),
        ]
        let position = ReceivablesPosition.compute(entries, asOf: day0.adding(days: 75))
        #expect(position.balance == 100_000)
        #expect(position.openDocuments.map(\.externalID) == ["S2", "S3"])
        #expect(position.openDocuments.map(\.open) == [30_000, 70_000])
        #expect(position.openDocuments.map(\.daysOverdue) == [35, 5])
        #expect(position.overdue == 100_000)
        #expect(position.ageing.days1to30 == 70_000 && position.ageing.days31to60 == 30_000)
        #expect(position.oldestOverdueDueDate == day0.adding(days: 40))
        #expect(position.lastMovement == day0.adding(days: 45))
    }

    @Test func aPrepaidDealerOwesNothingAndAReturnCountsAsCredit() {
        let entries = [
            entry("P0", .payment, 50_000, date: day0),
            entry("S1", .shipment, 30_000, date: day0.adding(days: 1)),
            entry("R1", .return, 10_000, date: day0.adding(days: 2)),
        ]
        let position = ReceivablesPosition.compute(entries, asOf: day0.adding(days: 90))
        #expect(position.balance == -30_000)
        #expect(position.openDocuments.isEmpty && position.overdue == 0)
    }

    @Test(arguments: 0..<20)
    func fifoAgreesWithASimpleReferenceOnRandomLedgers(_ seed: Int) {
        var generator = SeededGenerator(seed: UInt64(seed + 1))
        var entries: [LedgerEntry] = []
        for index in 0..<Int.random(in: 1...40, using: &generator) {
            let kind: LedgerEntryKind = [.shipment, .invoice, .payment, .return].randomElement(using: &generator)!
            let date = day0.adding(days: Int.random(in: 0...200, using: &generator))
            entries.append(entry("E\(index)", kind, Int64.random(in: 1...1_000_000, using: &generator), date: date))
        }
        let asOf = day0.adding(days: 150)
        let position = ReceivablesPosition.compute(entries, asOf: asOf)
        // Reference: pay debts one kopeck at a time in due-date order.
        var debts = entries.filter { $0.debtEffect > 0 }.sorted {
            ($0.dueDate!, $0.documentDate, $0.externalID) < ($1.dueDate!, $1.documentDate, $1.externalID)
        }
        .map { ($0.dueDate!, $0.debtEffect) }
        var credit = entries.filter { $0.debtEffect < 0 }.reduce(Int64(0)) { $0 - $1.debtEffect }
        for index in debts.indices where credit > 0 {
            let paid = min(debts[index].1, credit)
            debts[index].1 -= paid
            credit -= paid
        }
        let overdue = debts.filter { $0.0 < asOf }.reduce(Int64(0)) { $0 + $1.1 }
        #expect(position.balance == entries.reduce(0) { $0 + $1.debtEffect })
        #expect(position.overdue == overdue)
        #expect(position.ageing.current + position.ageing.overdue == position.openDocuments.reduce(0) { $0 + $1.open })
        #expect(position.openDocuments.reduce(0) { $0 + $1.open } == max(0, position.balance), "open debts are the balance unless prepaid")
    }

    @Test func creditChecksGiveEveryReason() throws {
        let policy = CreditPolicy(
            limit: Money(minorUnits: 1_000_000, currency: rub), graceDays: 5, allowedOverdueDays: 10,
            minimumOverdue: Money(minorUnits: 1_000, currency: rub))
        let clean = ReceivablesPosition.compute([entry("S1", .shipment, 500_000, date: day0)], asOf: day0.adding(days: 10))
        func check(_ amount: Int64, status: DealerStatus = .accredited, policy: CreditPolicy?, _ position: ReceivablesPosition) throws -> CreditCheck
        {
            try CreditCheck.evaluate(
                requested: Money(minorUnits: amount, currency: rub), openOrders: .zero(rub), status: status, policy: policy, position: position)
        }
        #expect(try check(100_000, policy: policy, clean).decision == .allow)
        let warning = try check(350_000, policy: policy, clean)
        #expect(warning.decision == .warn && warning.reasons.map(\.code) == ["limit_warning"])
        let over = try check(600_000, policy: policy, clean)
        #expect(over.decision == .block && over.reasons.first?.message.contains("by 1000.00 RUB") == true)
        #expect(over.availableAfter?.minorUnits == -100_000)
        var soft = policy
        soft.hardBlock = false
        #expect(try check(600_000, policy: soft, clean).decision == .warn)
        #expect(try check(1, status: .suspended, policy: policy, clean).reasons.map(\.code) == ["dealer_not_accredited"])
        #expect(try check(1, policy: nil, clean).reasons.map(\.code) == ["no_policy"])

        // 500,000 due on day 30: on day 45 it is 15 days late, 10 beyond grace — allowed.
        let late = ReceivablesPosition.compute([entry("S1", .shipment, 500_000, date: day0)], asOf: day0.adding(days: 45))
        #expect(try check(1, policy: policy, late).decision == .allow)
        let later = ReceivablesPosition.compute([entry("S1", .shipment, 500_000, date: day0)], asOf: day0.adding(days: 46))
        #expect(try check(1, policy: policy, later).reasons.map(\.code) == ["overdue"])
        // A remainder under the minimum is ignored however old.
        let crumbs = ReceivablesPosition.compute(
            [entry("S1", .shipment, 500_000, date: day0), entry("P1", .payment, 499_500, date: day0.adding(days: 1))],
            asOf: day0.adding(days: 200))
        #expect(try check(1, policy: policy, crumbs).decision == .allow)
    }
}

/// SplitMix64: reproducible random ledgers.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Hand-written serialisations agree with the general ones")
struct FastSerialisationTests {
    @Test(arguments: [
        "plain", "кавычки \"ёлочки\" и \\ слэш / дробь", "строка\nперенос\tтаб\r\u{08}\u{0C}\u{01}\u{1F}", "emoji 🚚",
    ])
    func aLedgerEntrysJSONTextIsWhatTheEncoderWrites(_ comment: String) throws {
        var entry = try LedgerEntryDraft(
            externalID: "1C-\(comment.count)", kind: "shipment", documentNumber: "РН/\(comment.prefix(3))", documentDate: "29.02.2028",
            amount: "125 000,50", dueDate: "2028-03-30", comment: comment, quantity: "12,5", productGroup: "Шины"
        ).validated(id: UUID(), dealerID: UUID(), currency: .rub, paymentTermDays: 30, now: Date(timeIntervalSince1970: 1_795_000_000.1234))
        #expect(entry.jsonText == DealerJSON.string(of: entry))
        entry.comment = nil
        entry.dueDate = nil
        entry.quantity = nil
        entry.version = 12
        entry.updatedAt = Date(timeIntervalSince1970: -86_400.5)
        #expect(entry.jsonText == DealerJSON.string(of: entry))
    }

    @Test
    func uuidsAndDatesReadAndWriteAsFoundationDoes() {
        for _ in 0..<200 {
            let id = UUID()
            #expect(id.lowercased == id.uuidString.lowercased())
        }
        #expect(CivilDate(parsing: "2028-02-29") == CivilDate(year: 2028, month: 2, day: 29))
        #expect(CivilDate(parsing: "2026-02-29") == nil)
        #expect(CivilDate(parsing: "2026-13-01") == nil)
        #expect(CivilDate(parsing: "2026/11/25") == nil)
        #expect(CivilDate(parsing: "2026-1-5") == CivilDate(year: 2026, month: 1, day: 5), "short forms still read")
        #expect(CivilDate(parsing: " 25.11.2026 ") == CivilDate(year: 2026, month: 11, day: 25))
    }

    /// Instants since the Gregorian calendar (Foundation's formatter is Julian before 1582).
    @Test(arguments: [
        0, 0.0004, 0.0006, 0.1234, 59.9996, 86_399.9995, 1_795_000_000.1234, 4_102_444_800.999, -0.0004, -1, -86_400.5, -12_000_000_000,
    ])
    func timestampsAreRFC3339WithMillisecondsAsTheFormatterWrote(_ seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let whole = Date(timeIntervalSince1970: Double(millis >= 0 ? millis / 1000 : -((-millis + 999) / 1000)))
        let expected =
            whole.formatted(Date.ISO8601FormatStyle(timeZone: .gmt)).dropLast() + "."
            + String(format: "%03d", Int(((millis % 1000) + 1000) % 1000)) + "Z"
        #expect(Timestamp.format(date) == expected)
        if Timestamp.supportedInstants.contains(seconds) {
            #expect(Timestamp.parse(Timestamp.format(date)).map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) } == millis)
        } else {
            #expect(Timestamp.parse(Timestamp.format(date)) == nil, "an instant before 1900 is not accepted from outside")
        }
    }
}
