import DealerCore
import Foundation
import Testing

@Suite("The rhythm model, plan periods and the plan file")
struct RhythmModelTests {
    static let settings = RhythmSettings()

    /// Shipment days from `start`, each interval in turn.
    static func series(from start: String, intervals: [Int]) -> [CivilDate] {
        var day = CivilDate(parsing: start)!
        var days = [day]
        for interval in intervals {
            day = day.adding(days: interval)
            days.append(day)
        }
        return days
    }

    static func assess(_ days: [CivilDate], today: String, set: (Int, RhythmAssessment.Source)? = nil, missed: Bool = false) -> RhythmAssessment {
        RhythmModel.assess(shipments: days, setInterval: set, today: CivilDate(parsing: today)!, settings: settings, plannedMonthMissed: missed)
    }

    @Test
    func aPerfectlyRegularDealerIsOnRhythmUntilHalfAnIntervalPasses() {
        let days = Self.series(from: "2026-01-05", intervals: Array(repeating: 14, count: 10))  // last: 2026-05-25
        let onTime = Self.assess(days, today: "2026-06-08")
        #expect(onTime.status == .onRhythm && onTime.expectedInterval == 14 && onTime.source == .learned && onTime.regularity == 1)
        #expect(onTime.nextExpected == CivilDate(parsing: "2026-06-08") && onTime.daysLate == 0)
        // 21 days is exactly 14 + 50%: still on rhythm; 22 is late, 42 still late, 43 broken.
        #expect(Self.assess(days, today: "2026-06-15").status == .onRhythm)
        #expect(Self.assess(days, today: "2026-06-16").status == .late && Self.assess(days, today: "2026-06-16").daysLate == 8)
        #expect(Self.assess(days, today: "2026-07-06").status == .late)
        #expect(Self.assess(days, today: "2026-07-07").status == .broken)
    }

    @Test
    func theCardExplainsEachStatusInRussian() {
        let days = Self.series(from: "2026-01-05", intervals: Array(repeating: 14, count: 10))  // last: 2026-05-25
        func explained(_ assessment: RhythmAssessment) -> String { assessment.russianExplanation(settings: Self.settings) }
        #expect(explained(Self.assess(days, today: "2026-06-08")) == "С последней отгрузки прошло 14 дней, обычно отгружается раз в 14 дней.")
        #expect(
            explained(Self.assess(days, today: "2026-06-16"))
                == "С последней отгрузки прошло 22 дня — больше обычного интервала 14 дней с допуском 50 %.")
        #expect(explained(Self.assess(days, today: "2026-07-07")) == "С последней отгрузки прошло 43 дня — больше чем 3 × 14 дней.")
        #expect(
            explained(Self.assess(days, today: "2026-06-01", missed: true)) == "В прошлом месяце был план, а отгрузок с его начала не было.")
        #expect(
            explained(Self.assess(Self.series(from: "2026-05-01", intervals: [7]), today: "2026-05-10"))
                == "Для ритма нужно 3 интервала между отгрузками, пока 1.")
        #expect(explained(Self.assess([], today: "2026-05-10", set: (10, .dealer))) == "Отгрузок ещё не было.")
    }

    @Test
    func noiseLowersRegularityAndOneLongGapDoesNotStretchTheCadence() {
        let noisy = Self.assess(Self.series(from: "2026-01-05", intervals: [12, 16, 13, 15, 14, 11, 17]), today: "2026-04-10")
        #expect(noisy.expectedInterval == 14)
        #expect(noisy.regularity! > Decimal(string: "0.8")! && noisy.regularity! < 1)
        // The New Year holidays: one 45-day gap among 10-day intervals.
        let gap = Self.assess(Self.series(from: "2025-11-01", intervals: [10, 10, 45, 10, 10, 10, 10]), today: "2026-02-20")
        #expect(gap.expectedInterval == 10, "the median without the outlier")
        #expect(gap.regularity! < Decimal(string: "0.5")!)
        // Ordering faster and faster: the cadence follows the recent intervals.
        let trending = Self.assess(
            Self.series(from: "2025-01-01", intervals: [30, 28, 25, 21, 18, 14, 12, 10, 9, 8, 7, 7, 7, 7, 7]), today: "2025-10-10")
        #expect(trending.expectedInterval! <= 10 && trending.recentIntervals.count == 12)
    }

    @Test
    func tooLittleHistoryIsLearningNeverLateUnlessAnIntervalIsSet() {
        let one = Self.series(from: "2026-01-10", intervals: [])
        let learning = Self.assess(one, today: "2026-12-31")
        #expect(learning.status == .learning && learning.expectedInterval == nil && learning.daysLate == 0)
        #expect(learning.explanation == "0 of 3 intervals needed to learn the cadence")
        #expect(Self.assess(Self.series(from: "2026-01-10", intervals: [14, 14]), today: "2026-12-31").status == .learning)
        let set = Self.assess(one, today: "2026-02-10", set: (14, .segment))
        #expect(set.status == .late && set.source == .segment && set.daysLate == 17)
        #expect(Self.assess([], today: "2026-02-10", set: (14, .dealer)).status == .learning, "no shipment yet")
        // Shipments dated after today (a document keyed in ahead) do not count yet.
        #expect(
            Self.assess(Self.series(from: "2026-02-01", intervals: [20]), today: "2026-02-10", set: (14, .dealer)).lastShipment
                == CivilDate(parsing: "2026-02-01"))
    }

    @Test
    func aPlannedMonthWithoutShipmentsBreaksTheRhythmAcrossTheYearEnd() {
        // Monthly dealer, last shipment 2025-11-28, then nothing in December, which had a plan.
        let days = Self.series(from: "2025-07-28", intervals: [31, 31, 30, 31])
        let january = Self.assess(days, today: "2026-01-02", missed: true)
        #expect(january.status == .broken && january.explanation == "no shipment in the last month, which had a plan")
        #expect(Self.assess(days, today: "2026-01-02").status == .onRhythm)
        // 29 February counts as a day: 28 → 29 Feb → 1 Mar are one-day intervals.
        let leap = Self.assess(Self.series(from: "2028-02-26", intervals: [1, 1, 1, 1]), today: "2028-03-01")
        #expect(leap.lastShipment == CivilDate(parsing: "2028-03-01") && leap.expectedInterval == 1)
    }

    @Test
    func periodsAreMonthsQuartersAndYears() throws {
        let month = try #require(PlanPeriod(parsing: "2028-02"))
        #expect(month.firstDay == CivilDate(parsing: "2028-02-01") && month.lastDay == CivilDate(parsing: "2028-02-29") && month.dayCount == 29)
        let quarter = try #require(PlanPeriod(parsing: "2026-q4"))
        #expect(quarter.description == "2026-Q4" && quarter.months.map(\.description) == ["2026-10", "2026-11", "2026-12"])
        #expect(quarter.lastDay == CivilDate(parsing: "2026-12-31") && quarter.yearEarlier.description == "2025-Q4")
        #expect(PlanPeriod(parsing: "2026")?.dayCount == 365)
        #expect(PlanPeriod(parsing: "2026-01")?.previous.description == "2025-12")
        for bad in ["2026-13", "2026-Q5", "26-10", "2026-1", "2026/10", "октябрь"] { #expect(PlanPeriod(parsing: bad) == nil, "\(bad)") }
    }

    @Test
    func theRunRateForecastExtendsTheFactToTheWholePeriod() throws {
        let october = try #require(PlanPeriod(parsing: "2026-10"))
        // 10 days of 31 gone (today included), 1,000,000.00 shipped: 3,100,000.00 forecast.
        #expect(PlanFulfillment.forecast(factMinor: 100_000_000, period: october, today: CivilDate(parsing: "2026-10-10")!) == 310_000_000)
        #expect(PlanFulfillment.forecast(factMinor: 100_000_000, period: october, today: CivilDate(parsing: "2026-10-31")!) == 100_000_000)
        #expect(PlanFulfillment.forecast(factMinor: 100_000_000, period: october, today: CivilDate(parsing: "2026-11-01")!) == nil)
        #expect(PlanFulfillment.forecast(factMinor: 1, period: october, today: CivilDate(parsing: "2026-10-03")!, minElapsedDays: 7) == nil)
        let figures = PlanFulfillment(planMinor: 300_000_000, factMinor: 100_000_000, yearEarlierMinor: 80_000_000, forecastMinor: 310_000_000)
        #expect(
            figures.fulfillmentPercent == Decimal(string: "33.3") && figures.growthPercent == 25
                && figures.forecastPercent == Decimal(string: "103.3"))
        #expect(PlanFulfillment(planMinor: 0, factMinor: 5).fulfillmentPercent == nil)
        #expect(PlanFulfillment(planMinor: 100, factMinor: 0, yearEarlierMinor: 0).growthPercent == nil)
    }

    @Test
    func planFilesComeAsLinesOrAsTheYearlySheet() throws {
        let lines = try PlanCSV(
            bytes: Array("Код дилера;Период;Сумма;Количество\nD-1;2026-01;\"1 500 000,00\";12\nD-1;01.2026;5;\nD-2;2026-13;5;\n".utf8))
        #expect(lines.rows.count == 1 && lines.rows[0].period.description == "2026-01" && lines.rows[0].draft.amount == "1 500 000,00")
        #expect(lines.rejections.map(\.line) == [3, 4] && lines.rejections.map(\.field) == ["period", "period"])
        let sheet = try PlanCSV(bytes: Array("Код дилера;2026-01;2026-02;2026-03\nD-1;100;;300\nD-2;1;2;3\n".utf8))
        #expect(sheet.rows.map { "\($0.dealer) \($0.period)" } == ["D-1 2026-01", "D-1 2026-03", "D-2 2026-01", "D-2 2026-02", "D-2 2026-03"])
        #expect(throws: LedgerCSV.FileError.self) { try PlanCSV(bytes: Array("Дилер;Сумма\nD-1;5\n".utf8)) }
        #expect(throws: ValidationError.self) { try SalesPlanDraft(amount: "-5").validated(currency: .rub) }
    }
}
